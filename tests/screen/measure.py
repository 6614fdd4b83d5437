"""What a resident perceives, measured from pixels: the contrast of each text as drawn, and where
each control lies on the real screen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget


def as_array(image: QImage) -> np.ndarray:
    """The screenshot as an (h, w) array of 0xRRGGBB integers."""
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = img.width(), img.height()
    raw = np.frombuffer(img.constBits(), dtype=np.uint32, count=img.bytesPerLine() * height // 4)
    return raw.reshape(height, img.bytesPerLine() // 4)[:, :width] & 0xFFFFFF


def _luminance(rgb: np.ndarray) -> np.ndarray:
    channels = np.stack([(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255]).astype(float) / 255
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True)
class Drawn:
    """An element's text as drawn: the commonest colour in its box (the background), the colour
    that stands out most against it (the text: anti-aliasing only ever lies between the two)."""

    background: int
    text: int
    ratio: float

    def describe(self) -> str:
        return f"#{self.text:06x} on #{self.background:06x} ({self.ratio:.2f}:1)"


def drawn_contrast(pixels: np.ndarray, rect: QRect) -> Drawn | None:
    x0, y0 = max(rect.left(), 0), max(rect.top(), 0)
    x1, y1 = min(rect.right() + 1, pixels.shape[1]), min(rect.bottom() + 1, pixels.shape[0])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    colours, counts = np.unique(pixels[y0:y1, x0:x1].ravel(), return_counts=True)
    background = int(colours[np.argmax(counts)])
    seen = colours[counts >= 3]  # a stray pixel or two is not text
    lum = _luminance(seen)
    bg_lum = float(_luminance(np.array([background]))[0])
    ratios = (np.maximum(lum, bg_lum) + 0.05) / (np.minimum(lum, bg_lum) + 0.05)
    best = int(np.argmax(ratios))
    return Drawn(background, int(seen[best]), float(ratios[best]))


def global_rect(w: QWidget) -> QRect:
    return QRect(w.mapToGlobal(w.rect().topLeft()), w.size())


def visible_rect(w: QWidget) -> QRect:
    """The part of a widget not clipped by the widgets it sits in (a scroll area's viewport)."""
    rect = global_rect(w)
    parent = w.parentWidget()
    while parent is not None:
        rect = rect.intersected(global_rect(parent))
        parent = parent.parentWidget()
    return rect


def texts_on_screen(root: QWidget) -> list[tuple[QWidget, str, QRect]]:
    """Every visible text a resident can read: labels, buttons with words, filled-in boxes. The
    box measured is the text's own, inset from the control's borders and focus bars."""
    found: list[tuple[QWidget, str, QRect]] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.text().strip() and w.pixmap().isNull():
            text, inset = w.text(), 0
        elif (isinstance(w, QAbstractButton) and w.text().strip()) or (isinstance(w, QLineEdit) and w.text().strip()):
            text, inset = w.text(), 8
        elif isinstance(w, QPlainTextEdit) and w.toPlainText().strip():
            text, inset = w.toPlainText(), 8
        else:
            continue
        whole, rect = global_rect(w), visible_rect(w)
        if rect.width() * rect.height() < 0.6 * whole.width() * whole.height():
            continue  # mostly scrolled out of view: read once scrolled to, not here
        rect = rect.adjusted(inset, inset, -inset, -inset) if inset else rect
        if rect.width() > 4 and rect.height() > 4:
            found.append((w, text, rect))
    return found


def controls(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget)
            if w.isVisible() and isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit))]


def focus_contrast(pixels: np.ndarray, rect: QRect) -> Drawn | None:
    """A focused control's indicator against what is around it: the strongest colour along the
    control's edges (a focus border or bar; at least a 16 px run of it) against the commonest
    colour in a ring just outside the control."""
    x0, y0, x1, y1 = rect.left(), rect.top(), rect.right() + 1, rect.bottom() + 1
    h, w = pixels.shape
    if x0 < 8 or y0 < 8 or x1 > w - 8 or y1 > h - 8 or x1 - x0 < 12 or y1 - y0 < 12:
        return None
    edge = np.concatenate([pixels[y0:y0 + 4, x0:x1].ravel(), pixels[y1 - 4:y1, x0:x1].ravel(),
                           pixels[y0:y1, x0:x0 + 4].ravel(), pixels[y0:y1, x1 - 4:x1].ravel()])
    ring = np.concatenate([pixels[y0 - 6:y0 - 2, x0:x1].ravel(), pixels[y1 + 2:y1 + 6, x0:x1].ravel()])
    colours, counts = np.unique(ring, return_counts=True)
    around = int(colours[np.argmax(counts)])
    seen, seen_counts = np.unique(edge, return_counts=True)
    seen = seen[seen_counts >= 16]
    lum = _luminance(seen)
    bg_lum = float(_luminance(np.array([around]))[0])
    ratios = (np.maximum(lum, bg_lum) + 0.05) / (np.minimum(lum, bg_lum) + 0.05)
    best = int(np.argmax(ratios))
    return Drawn(around, int(seen[best]), float(ratios[best]))


def ink_columns(pixels: np.ndarray, rect: QRect) -> tuple[int, int] | None:
    """The first and last column (screen x) inside ``rect`` where the text's colour is drawn:
    where the words actually are."""
    drawn = drawn_contrast(pixels, rect)
    if drawn is None:
        return None
    x0, y0 = max(rect.left(), 0), max(rect.top(), 0)
    box = pixels[y0:rect.bottom() + 1, x0:rect.right() + 1]
    lum = _luminance(box)
    bg = float(_luminance(np.array([drawn.background]))[0])
    # Anything at least halfway from the background towards the text's luminance is ink.
    half = abs(float(_luminance(np.array([drawn.text]))[0]) - bg) / 2
    where = np.flatnonzero((np.abs(lum - bg) > half).any(axis=0))
    if where.size == 0:
        return None
    return x0 + int(where[0]), x0 + int(where[-1])
