"""Scrolling: the window's one scroll area, the page laid out in it, and finger scrolling.

Apart from kiosk/views/widgets.py so that the first screen (kiosk/boot.py), which scrolls
nothing, does not load them: each Qt class a module names costs its enums on first use (the
scroll area's and scroller's about 2 ms)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.widgets import COLUMN_MAX_WIDTH


def see_through_content(area: QScrollArea, widget: QWidget) -> None:
    """``widget`` as what ``area`` scrolls, see-through: ``setWidget`` turns on the widget's own
    background fill, and the page colour is painted once, by the window (style.py)."""
    area.setWidget(widget)
    widget.setAutoFillBackground(False)


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
    area per page grew the kiosk by about 30 MB per 1,000 sessions.

    No desktop scroll bar: the page is dragged with a finger, and while there is more below,
    the window shows a touch-sized "More below" button (``more`` says when) that scrolls on."""

    more = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page_scroll")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        enable_kinetic_scrolling(self)
        self._more = False
        # Pages come and go inside one holder that stays: taking a page out of a scroll area
        # (takeWidget) makes it a window of its own and re-styles every widget in it, only for
        # it to be deleted; removed from the holder's layout it is only hidden. Measured: 3 ms
        # a page change, and its setWidget 5 ms more.
        self._holder = QWidget()
        self._holder.setObjectName("page_holder")
        self._pages = QVBoxLayout(self._holder)
        self._pages.setContentsMargins(0, 0, 0, 0)
        self._page: QWidget | None = None
        see_through_content(self, self._holder)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._check_more)
        bar.valueChanged.connect(self._check_more)

    def page(self) -> QWidget | None:
        return self._page

    def show_page(self, page: QWidget) -> None:
        """Put a page in, scrolled to its top (the caller has taken the old one out)."""
        fit = getattr(page, "fit_width", None)
        if callable(fit):
            fit(self.viewport().width())
        self._pages.addWidget(page)
        self._page = page
        page.show()
        self.verticalScrollBar().setValue(0)
        self._check_more()

    def park(self, page: QWidget) -> None:
        """A page built ahead of time waits here, hidden: styled as it will be shown (a page that
        moves to another parent is styled again, widget by widget) and laid out at the width it
        will have, so that showing it is only showing it."""
        page.setParent(self._holder)
        page.hide()
        width = self.viewport().width()
        fit = getattr(page, "fit_width", None)
        if callable(fit):
            fit(width)
        page.ensurePolished()
        layout = page.layout()
        if layout is not None:
            height = page.heightForWidth(width) if page.hasHeightForWidth() else page.sizeHint().height()
            page.resize(width, max(height, self.viewport().height()))
            layout.activate()

    def take_page(self) -> None:
        """The page goes out of the layout, without leaving its parent; its owner hides it (once
        the page that replaces it has the focus) and deletes it."""
        if self._page is not None:
            self._pages.removeWidget(self._page)
            self._page = None

    def scroll_on(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + round(self.viewport().height() * 0.7))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Before the page is resized to the new width: its columns first, then its height.
        fit = getattr(self._page, "fit_width", None)
        if callable(fit):
            fit(event.size().width())
        super().resizeEvent(event)

    @property
    def has_more(self) -> bool:
        return self._more

    def _check_more(self) -> None:
        bar = self.verticalScrollBar()
        more = self._page is not None and bar.value() < bar.maximum() - 8
        if more != self._more:
            self._more = more
            self.more.emit(more)


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


#: The page is wide enough for a second column beside the question (a landscape screen).
TWO_COLUMNS_FROM = 1500


class ScrollPage(QWidget):
    """A page laid out for a kiosk screen: the question's column, a second column beside it on a
    landscape screen (help, the phone handoff, the QR code) that goes under it on a portrait one,
    and an action bar (the primary button) that the window keeps in view above the keyboard, so
    the main button never needs scrolling to."""

    def __init__(self, name: str, wide: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        #: Use the whole width (the home screen's tiles), not a reading column.
        self.wide = wide
        self.column = QVBoxLayout()
        self.column.setSpacing(24)
        self.column.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder.setObjectName(f"{name}_content")
        holder.setLayout(self.column)
        if not wide:  # from the start: wrapped text is first measured at no more than this
            holder.setMaximumWidth(COLUMN_MAX_WIDTH)
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.side = QVBoxLayout()
        self.side.setSpacing(24)
        self.side.setContentsMargins(0, 0, 0, 0)
        self.side.addStretch(1)
        self.side_box = QWidget()
        self.side_box.setObjectName(f"{name}_side")
        self.side_box.setLayout(self.side)
        self.side_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # No alignment flags here: they make Qt lay out by size hint and ignore height-for-width,
        # which clips wrapped headings. A stretch below keeps the columns at the top.
        wrap = QVBoxLayout(self)
        wrap.setContentsMargins(56, 32, 56, 48)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(64)
        self.row.addWidget(holder, 3)
        self.row.addWidget(self.side_box, 2)
        self.row.addStretch(1)
        wrap.addLayout(self.row)
        wrap.addStretch(1)
        self.holder = holder
        self.side_box.hide()
        #: The page's main actions, kept in view by the window under the scrolling part.
        self.action_bar = QWidget()
        self.action_bar.setObjectName("action_bar")
        self.actions_row = QHBoxLayout(self.action_bar)
        self.actions_row.setContentsMargins(56, 12, 56, 16)
        self.actions_row.setSpacing(24)

    def reading_order(self) -> list[QWidget]:
        """The parts of the page in the order they are read: the question's column, then the
        second column (which a landscape screen shows beside it)."""
        return [self.holder, *([self.side_box] if self.side_box.isVisibleTo(self) else [])]

    def add_action(self, widget: QWidget, stretch: int = 0) -> None:
        self.actions_row.addWidget(widget, stretch)

    def set_primary(self, primary: QWidget) -> None:
        """The page's main button in the action bar, under the reading column (half the bar)."""
        self.add_action(primary, 1)
        self.add_action(QWidget(), 1)

    def add_side(self, widget: QWidget) -> None:
        self.side.insertWidget(self.side.count() - 1, widget)
        self.side_box.show()

    def ensureWidgetVisible(self, widget: QWidget, xmargin: int = 50, ymargin: int = 50) -> None:
        """Scroll the window's scroll area so ``widget`` is in view (nothing to do off screen)."""
        area = scroll_area_of(self)
        if area is not None:
            area.ensureWidgetVisible(widget, xmargin, ymargin)

    def fit_width(self, width: int) -> None:
        """Set the columns for a page area this wide (the scroll area does it before it resizes
        the page, so wrapped text is measured at the width it is drawn at)."""
        room = max(200, width - 112)
        side = self.side_box.isVisibleTo(self)
        two = width >= TWO_COLUMNS_FROM and side
        # Side by side unless the second column must go under the first. (Stacked, each column is
        # measured at the row's whole width, so a column narrower than that would be measured
        # too short: with no second column the row stays horizontal.)
        wanted = QBoxLayout.Direction.LeftToRight if two or not side else QBoxLayout.Direction.TopToBottom
        if self.row.direction() != wanted:
            self.row.setDirection(wanted)
        main = min(COLUMN_MAX_WIDTH, round((room - 64) * 0.6)) if two else (
            room if self.wide else min(COLUMN_MAX_WIDTH, room))
        self.holder.setFixedWidth(main)
        self.side_box.setFixedWidth(room - 64 - main if two else main)
