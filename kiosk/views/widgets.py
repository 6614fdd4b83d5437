"""Small building blocks shared by the pages: buttons, labels, scrolling, the error summary."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.text import tr

#: Widest the reading column grows (GOV.UK two-thirds column at kiosk scale).
COLUMN_MAX_WIDTH = 1200


def button(text: str, role: str, name: str, description: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setProperty("role", role)
    b.setAccessibleName(text.replace("&&", "&"))
    if description:
        b.setAccessibleDescription(description)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setAutoDefault(False)
    b.setSizePolicy(QSizePolicy.Policy.Expanding if role in ("primary", "tile") else QSizePolicy.Policy.Preferred,
                    QSizePolicy.Policy.Fixed if role != "tile" else QSizePolicy.Policy.Preferred)
    return b


def label(text: str, role: str = "", name: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        lab.setProperty("role", role)
    if name:
        lab.setObjectName(name)
    lab.setAccessibleName(text)
    lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
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


def enable_kinetic_scrolling(area: QScrollArea) -> None:
    """Finger scrolling: drag the page itself, with momentum, no overshoot."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
                          QScrollerProperties.OvershootPolicy.OvershootAlwaysOff)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
                          QScrollerProperties.OvershootPolicy.OvershootAlwaysOff)
    # Hand presses to buttons at once; the default 0.25 s delay makes taps feel dead.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(props)


class PageScroll(QScrollArea):
    """The window's one scroll area: every scrolling page is shown inside it in turn.

    One for the life of the window, because kinetic scrolling is grabbed once: each
    ``QScroller.grabGesture`` registers a gesture recogniser that Qt never frees, so a scroll
    area per page grew the kiosk by about 30 MB per 1,000 sessions."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page_scroll")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        enable_kinetic_scrolling(self)

    def show_page(self, page: QWidget) -> None:
        """Put a page in, scrolled to its top (the caller has taken the old one out)."""
        self.setWidget(page)
        self.verticalScrollBar().setValue(0)


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


class ScrollPage(QWidget):
    """A page whose content is one left-aligned column; the window scrolls it when it is too tall."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.column = QVBoxLayout()
        self.column.setSpacing(24)
        self.column.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setObjectName(f"{name}_content")
        holder.setLayout(self.column)
        holder.setMaximumWidth(COLUMN_MAX_WIDTH)
        # No alignment flags here: they make Qt lay out by size hint and ignore height-for-width,
        # which clips wrapped headings. A stretch beside and below keeps the column top left.
        wrap = QVBoxLayout(self)
        wrap.setContentsMargins(56, 32, 56, 48)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(holder)
        row.addStretch(1)
        wrap.addLayout(row)
        wrap.addStretch(1)
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.holder = holder

    def ensureWidgetVisible(self, widget: QWidget, xmargin: int = 50, ymargin: int = 50) -> None:
        """Scroll the window's scroll area so ``widget`` is in view (nothing to do off screen)."""
        area = scroll_area_of(self)
        if area is not None:
            area.ensureWidgetVisible(widget, xmargin, ymargin)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.holder.setFixedWidth(min(COLUMN_MAX_WIDTH, max(200, self.width() - 112)))


class _Wrapping:
    """Radios and check boxes whose words wrap (Qt's own never do, and clip at large text
    sizes) and whose whole row is the touch target."""

    def _setup(self, text: str) -> None:
        button = cast(QAbstractButton, self)
        self._words = QLabel(text)
        self._words.setWordWrap(True)
        self._words.setTextFormat(Qt.TextFormat.PlainText)
        self._words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._words.setStyleSheet("background: transparent;")
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
        option = QStyleOptionButton()
        option.initFrom(button)
        element = (QStyle.SubElement.SE_RadioButtonIndicator if isinstance(button, QRadioButton)
                   else QStyle.SubElement.SE_CheckBoxIndicator)
        rect = button.style().subElementRect(element, option, button)
        # From the leading edge: the left in English, the right in Arabic or Urdu.
        leading = button.width() - rect.left() if button.isRightToLeft() else rect.right()
        return leading + 20

    def _fit(self) -> None:
        indent = self._indent()
        trailing = 8 if indent else 0
        if cast(QAbstractButton, self).isRightToLeft():  # layout margins are not mirrored: swap them
            self._row.setContentsMargins(trailing, 8, indent, 8)
        else:
            self._row.setContentsMargins(indent, 8, trailing, 8)

    def text(self) -> str:
        return str(self._words.text())

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
        for i, (part, message) in enumerate(errors):
            link = WrappingButton(message)
            link.setObjectName(f"error_link_{i}")
            link.setProperty("role", "error-link")
            link.setAccessibleDescription(tr("Go to the answer with this problem"))
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.setAutoDefault(False)
            link.clicked.connect(lambda _=False, p=part: self.error_chosen.emit(p))
            lay.addWidget(link)
