"""The kiosk's input watchers sit on its window, not on the application: building and styling a
page (about a thousand style, layout and paint events) never enters Python for them, while a
tap still reaches them before any widget."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from kiosk.app_events import unwatch, watch
from tests.resident import Kiosk

T = QEvent.Type
#: What building, styling and painting a page sends by the thousand.
PAGE_EVENTS = (T.Polish, T.PolishRequest, T.StyleChange, T.FontChange, T.PaletteChange, T.LayoutRequest,
               T.ChildAdded, T.Show, T.Hide, T.Move, T.Resize, T.Paint, T.DynamicPropertyChange)


class Spy(QObject):
    """A watcher like the kiosk's own, asking for input and for a page's events."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        self.seen.append(event.type().name)
        return False


def test_a_page_change_is_not_seen_by_the_watchers_but_a_tap_is(kiosk: Kiosk) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    kiosk.start("missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    spy = Spy()
    watch(app, spy, (T.MouseButtonPress, T.MouseButtonRelease, *PAGE_EVENTS))
    try:
        kiosk.tap("back")  # a whole page built, styled, shown and painted
        kiosk.wait_page("home_page")
        for _ in range(3):
            QApplication.processEvents()
    finally:
        unwatch(app, spy)
    assert spy.seen.count("MouseButtonPress") == 1 and spy.seen.count("MouseButtonRelease") == 1, spy.seen
    # The window's own few (it is resized, shown, painted as one), never each widget's.
    assert len(spy.seen) < 20, spy.seen
