"""Small building blocks shared by the pages: buttons, labels, the error summary (scrolling is in
kiosk/views/scrolling.py)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.text import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

#: Widest the reading column grows (GOV.UK two-thirds column at kiosk scale).
COLUMN_MAX_WIDTH = 1200


def screen_reader_on() -> bool:
    """A screen reader (or other assistive technology) is listening over the accessibility bus."""
    from PySide6.QtGui import QAccessible

    return bool(QAccessible.isActive())


def focusable_heading(text: str) -> QLabel:
    """A page's question: a screen reader is taken to it when the page appears (focus moves
    there), so the question is heard first. Not in the Tab order itself: Tab goes on from it."""
    heading = label(text, "heading", "page_heading")
    heading.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return heading


def follow_focus(control: QWidget, focused: bool) -> None:
    """Tell the labels inside a control whether it has focus, so the style sheet can colour them
    for the focus highlight. (A style rule like ``QPushButton:focus QLabel`` is applied when the
    label is first styled and never undone: labels stayed dark on a dark tile in high contrast.)"""
    for lab in control.findChildren(QLabel):
        if bool(lab.property("focused")) != focused:
            lab.setProperty("focused", focused)
            lab.style().unpolish(lab)
            lab.style().polish(lab)


class FocusLabels:
    """For controls whose words are child labels: the labels follow the control's focus."""

    def focusInEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().focusInEvent(event)  # type: ignore[misc]
        follow_focus(cast(QWidget, self), True)

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().focusOutEvent(event)  # type: ignore[misc]
        follow_focus(cast(QWidget, self), False)


class TileButton(FocusLabels, QPushButton):
    """A home-screen or lesson tile: an icon and words as child labels."""


#: Button kinds whose words wrap rather than clip: links and secondary buttons can be long, and
#: at the largest text on a portrait screen they are wider than the column.
WRAPPING_ROLES = ("link", "secondary", "answer")


def button(text: str, role: str, name: str, description: str = "", cls: type[QPushButton] | None = None
           ) -> QPushButton:
    wraps = cls is None and role in WRAPPING_ROLES
    b = (WrappingButton(text) if wraps else (cls or QPushButton)(text))
    if wraps and role == "secondary":
        cast(WrappingButton, b).centre()
    b.setObjectName(name)
    b.setProperty("role", role)
    b.setAccessibleName(text.replace("&&", "&"))
    if description:
        b.setAccessibleDescription(description)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setAutoDefault(False)
    policy = QSizePolicy(QSizePolicy.Policy.Expanding if role in ("primary", "tile") else QSizePolicy.Policy.Preferred,
                         QSizePolicy.Policy.Minimum if wraps else
                         QSizePolicy.Policy.Fixed if role != "tile" else QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(wraps)
    b.setSizePolicy(policy)
    return b


def lead_with_layout(lab: QLabel) -> None:
    """Every text starts where the layout does: on the right in Arabic or Urdu, on the left
    otherwise. A label otherwise aligns to its own text's direction: an English name or address
    among Arabic text (a place, a street, the council's name) sat on the left, measured on
    screen. A centred text stays centred."""
    align = lab.alignment()
    if align & Qt.AlignmentFlag.AlignHCenter:
        return
    vertical = align & Qt.AlignmentFlag.AlignVertical_Mask
    if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | vertical)
    else:
        lab.setAlignment(Qt.AlignmentFlag.AlignLeft | vertical)


def set_margins_by_direction(layout: QLayout, widget: QWidget, leading: int, top: int, trailing: int,
                             bottom: int) -> None:
    """``layout``'s margins given at the leading and trailing edges (left and right in English,
    right and left in Arabic or Urdu) of ``widget``: a layout's own margins are not mirrored with
    its contents. Call again on each ``LayoutDirectionChange``."""
    if widget.isRightToLeft():
        layout.setContentsMargins(trailing, top, leading, bottom)
    else:
        layout.setContentsMargins(leading, top, trailing, bottom)


def label(text: str, role: str = "", name: str = "") -> QLabel:
    lab = QLabel()
    if role:  # before the text: with a screen reader on, setting the text makes its accessible
        lab.setProperty("role", role)  # interface, and the role decides what that is (a heading)
    lab.setWordWrap(True)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setText(text)
    lead_with_layout(lab)
    if name:
        lab.setObjectName(name)
    lab.setAccessibleName(text)
    lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return lab


def error_message(message: str, name: str, prefix: str = "Error: {message}") -> QLabel:
    """A field's error as GOV.UK shows it: the message in red; "Error:" before it is heard by
    screen readers and the kiosk's speech, not shown (GOV.UK's visually hidden prefix).
    ``prefix``: the prefix already in the screen's language (default English)."""
    lab = label(message, "error", name)
    lab.setAccessibleName(prefix.replace("{message}", message))
    return lab


def link_label(url: str, name: str) -> QLabel:
    """A web address that wraps (break chances after / ? _; at 200% text a link is wider than a
    portrait screen) and is read whole by screen readers."""
    text = url
    for mark in "/?_":
        text = text.replace(mark, mark + "\u200b")
    link = label(text, "", name)
    link.setAccessibleName(url)
    return link


@functools.cache
def _style_types() -> tuple[type[QStyle], type[QStyleOptionButton]]:
    """Imported when first needed, not at the top: the first screen has no radios, and QStyle
    costs 6 ms of enums; then kept (an import statement in a method goes through PySide's import
    hook at each call, and a radio's size is asked for many times a page)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    return QStyle, QStyleOptionButton


class _Wrapping(FocusLabels):
    """Radios and check boxes whose words wrap (Qt's own never do, and clip at large text
    sizes) and whose whole row is the touch target."""

    def _setup(self, text: str) -> None:
        button = cast(QAbstractButton, self)
        self._words = QLabel(text)
        self._words.setWordWrap(True)
        self._words.setTextFormat(Qt.TextFormat.PlainText)
        self._words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # Transparent by the application's style sheet (``QAbstractButton QLabel``), not a sheet
        # of its own: a widget with its own style sheet gets a style object of its own, styled
        # apart from the rest (measured: page changes 15% faster without them).
        lead_with_layout(self._words)
        self._row = QHBoxLayout(button)
        self._row.addWidget(self._words)
        button.setAccessibleName(text)
        policy = button.sizePolicy()
        policy.setHeightForWidth(True)
        button.setSizePolicy(policy)

    def _indent(self) -> int:
        button = cast(QAbstractButton, self)
        if not isinstance(button, (QRadioButton, QCheckBox)):
            return 0
        QStyle, QStyleOptionButton = _style_types()
        option = QStyleOptionButton()
        option.initFrom(button)
        element = (QStyle.SubElement.SE_RadioButtonIndicator if isinstance(button, QRadioButton)
                   else QStyle.SubElement.SE_CheckBoxIndicator)
        rect = button.style().subElementRect(element, option, button)
        # From the leading edge: the left in English, the right in Arabic or Urdu.
        leading = button.width() - rect.left() if button.isRightToLeft() else rect.right()
        return leading + 20

    def _fit(self) -> None:
        role = cast(QWidget, self).property("role")
        if role == "secondary":  # the padding a push button has
            self._row.setContentsMargins(24, 8, 24, 8)
            return
        if role == "answer":  # inside its border, the same on both sides in either direction
            self._row.setContentsMargins(28, 16, 28, 16)
            return
        indent = self._indent()
        set_margins_by_direction(self._row, cast(QWidget, self), indent, 8, 8 if indent else 0, 8)

    def text(self) -> str:
        return str(self._words.text())

    def setText(self, text: str) -> None:
        self._words.setText(text)
        cast(QAbstractButton, self).setAccessibleName(text)

    def centre(self) -> None:
        self._words.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._fit()
        margins = self._row.contentsMargins()
        inner = max(10, width - margins.left() - margins.right())
        return max(64, self._words.heightForWidth(inner) + margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        self._fit()
        margins = self._row.contentsMargins()
        width = min(self._words.sizeHint().width(), 700) + margins.left() + margins.right()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._indent() + 120, 64)


class WrappingButton(_Wrapping, QPushButton):
    """A push button whose words wrap: error-summary links can be a sentence long."""

    def __init__(self, text: str) -> None:
        QPushButton.__init__(self)
        self._setup(text)


class ErrorSummary(QFrame):
    """GOV.UK error summary: 'There is a problem' and a link per error that focuses the field."""

    error_chosen = Signal(str)

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__()
        self.setObjectName("error_summary")
        self.setProperty("role", "error-summary")
        self.setAccessibleName(tr("There is a problem"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        lay.addWidget(label(tr("There is a problem"), "subheading"))
        # Focused after a failed Continue: the whole summary is read with its name.
        self.setAccessibleDescription(" ".join(message for _, message in errors))
        for i, (part, message) in enumerate(errors):
            link = WrappingButton(message)
            link.setObjectName(f"error_link_{i}")
            link.setProperty("role", "error-link")
            link.setAccessibleDescription(tr("Go to the answer with this problem"))
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.setAutoDefault(False)
            link.clicked.connect(lambda _=False, p=part: self.error_chosen.emit(p))
            lay.addWidget(link)
