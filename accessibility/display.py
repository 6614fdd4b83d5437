"""The resident's display choices (text size, contrast): applied to the whole kiosk window at
once, kept for the session, and put back to the site's defaults by the wipe."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QFont
from PySide6.QtWidgets import QApplication

from accessibility.themes import CONTRASTS, TEXT_SIZES, Palette, Theme, contrast, theme_for
from kiosk.views.style import mirrored, style_sheet

if TYPE_CHECKING:
    from kiosk.config import Branding

log = logging.getLogger("kiosk.display")


#: The kiosk's typeface, then where Qt finds what it lacks: Arabic script (Arabic and Urdu) in
#: Noto Naskh Arabic, symbols (▾ ✓ ● ⌫) in Noto Sans Symbols2, all in Debian's fonts-noto-core.
#: Without the list, fontconfig gave both to DejaVu Sans, another design beside Noto's.
FAMILIES = ["Noto Sans", "Noto Naskh Arabic", "Noto Sans Symbols2"]


def prepare_app(app: QApplication, touch_only: bool) -> None:
    """The kiosk's typefaces for every widget, and no mouse pointer on a touch-only screen."""
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    if touch_only:
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))


def branded_palette(branding: Branding | str) -> Palette:
    """The standard palette with the council's top-bar colour (a `Branding` or the colour
    itself), if white text on it is readable."""
    colour = branding if isinstance(branding, str) else branding.header_colour
    base = Palette()
    if contrast(colour, base.header_text) < 4.5:
        log.warning("branding.header_colour is too light for white text; using the standard colour",
                    extra={"colour": colour, "ratio": round(contrast(colour, base.header_text), 2)})
        return base
    return replace(base, header=colour)


class Restylable(Protocol):
    """The kiosk window: it takes the theme's sheet as its own (``KioskWindow.restyle``)."""

    def styleSheet(self) -> str: ...

    def restyle(self, sheet: str) -> None: ...


class DisplaySettings:
    """The theme's style sheet is the kiosk window's own, not the application's. Qt restyles a
    changed application sheet by polishing every widget once for itself and once more for each of
    its ancestors (``QStyleSheetStyle::repolish``, measured: a widget 10 deep got 12 style-change
    events a switch, 20 deep 22). A window's own sheet polishes each widget in it twice, however
    deep. The kiosk's pages are deep (window, stack, scroll area, page, column, row, button,
    words), and its keyboard, once used, adds 150 or more keys: a text-size switch with the
    keyboard's boards built took p95 130-141 ms with the application's sheet (docs/benchmarks.md).
    Everything the kiosk shows is inside the window (overlays, pages built ahead, the keyboard),
    and the keyboard's boards that are not showing step out of it while it is restyled."""

    def __init__(self, app: QApplication, window: Restylable, branding: Branding, default_size: str = "standard",
                 default_contrast: str = "standard") -> None:
        self._app = app
        self._window = window
        self._base = branded_palette(branding)
        self.default_size = default_size
        self.default_contrast = default_contrast
        self.text_size = default_size
        self.contrast = default_contrast
        self.rtl = False
        self.apply()

    @property
    def theme(self) -> Theme:
        return theme_for(self.text_size, self.contrast, self._base)

    def set(self, text_size: str | None = None, contrast_name: str | None = None) -> None:
        if text_size is not None and text_size in TEXT_SIZES:
            self.text_size = text_size
        if contrast_name is not None and contrast_name in CONTRASTS:
            self.contrast = contrast_name
        self.apply()

    def reset(self) -> None:
        if (self.text_size, self.contrast) != (self.default_size, self.default_contrast):
            self.text_size, self.contrast = self.default_size, self.default_contrast
            self.apply()

    def set_direction(self, rtl: bool) -> None:
        """After the application's layout direction has changed. The sheet stays: only widgets
        on the screen whose drawn border changes side are polished again (new ones are polished
        with the direction they are made in)."""
        if rtl != self.rtl:
            self.rtl = rtl
            for widget in self._app.allWidgets():
                if mirrored(widget):
                    widget.style().unpolish(widget)
                    widget.style().polish(widget)
                    widget.update()

    def apply(self) -> None:
        sheet = style_sheet(self.theme)
        if sheet != self._window.styleSheet():  # the same sheet again would re-style every widget
            self._window.restyle(sheet)

    def chosen(self) -> list[str]:
        """For insight: the settings that differ from standard."""
        out = []
        if self.text_size == "large":
            out.append("large_text")
        if self.text_size == "largest":
            out.append("largest_text")
        if self.contrast == "high":
            out.append("high_contrast")
        return out
