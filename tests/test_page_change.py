"""A tap that changes the page draws the new page as it stays from its first frame: the keyboard,
the action bar and "More below" are settled before it is painted (kiosk/views/window.py,
show_page)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QApplication, QWidget

from tests.resident import Kiosk


class Frames(QObject):
    """Every paint of the page called ``name``, with what the window showed around it then."""

    def __init__(self, kiosk: Kiosk, name: str) -> None:
        super().__init__()
        self.kiosk, self.name = kiosk, name
        self.seen: list[tuple[bool, bool, bool]] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.objectName() == self.name:
            window = self.kiosk.window
            self.seen.append((window.action_slot.isVisible(), window.more_button.isVisible(),
                              window.keyboard.isVisible()))
        return False


def to_date_typed(kiosk: Kiosk) -> None:
    """A missed bin's collection date typed on the on-screen keyboard, Continue still to tap."""
    kiosk.start("missed-bin")
    kiosk.wait_heading("What is the address of the missed bin?")
    kiosk.typed_address("address")
    kiosk.choose("bin_type", "general")
    kiosk.date("when", "1", "11", "2026")


def test_every_frame_of_the_new_page_shows_the_bar_it_keeps(kiosk: Kiosk) -> None:
    # From a date typed on the on-screen keyboard, with Continue in the action bar, to a choice
    # that goes on by itself: no keyboard and no action bar on the page that follows.
    to_date_typed(kiosk)
    old = kiosk.page
    assert kiosk.window.keyboard.isVisible() and kiosk.window.action_slot.isVisible()
    frames = Frames(kiosk, "step_where_left")
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(frames)
    try:
        kiosk.cont()
        # The old page is deleted once the new one has been drawn; then nothing is left to do.
        kiosk.qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=3000)
        for _ in range(3):
            app.processEvents()
    finally:
        app.removeEventFilter(frames)
    assert kiosk.page_name() == "step_where_left"
    final = (kiosk.window.action_slot.isVisible(), kiosk.window.more_button.isVisible(),
             kiosk.window.keyboard.isVisible())
    assert final == (False, False, False)
    # Before, the first frame showed an action bar with "More below" in it (decided from the old
    # page's height, before the new page was laid out), and a second layout and frame followed.
    assert frames.seen, "the new page was never painted"
    assert set(frames.seen) == {final}, frames.seen


def test_the_box_to_type_in_is_in_view_above_the_keyboard_and_the_action_bar(kiosk: Kiosk) -> None:
    # "Anything else the crew should know?" takes the focus and brings the keyboard up, which
    # leaves the page area a third of its height. The box must be scrolled into that third.
    to_date_typed(kiosk)
    kiosk.cont()
    kiosk.choose("where_left", "kerbside")
    kiosk.wait_heading("Is there anything else the crew should know? (optional)")
    for _ in range(3):
        QApplication.processEvents()
    box = QApplication.focusWidget()
    assert box is not None and box.objectName() == "input_details"
    window = kiosk.window
    assert window.keyboard.isVisible() and window.action_slot.isVisible()
    # Its first lines, where the cursor is, are what is on top there: not the action bar.
    for y in (8, min(box.height() - 8, 100)):
        point = box.mapTo(window, QPoint(box.width() // 2, y))
        top = window.childAt(point)
        assert top is box or (top is not None and box.isAncestorOf(top)), (
            f"at {y} px into the box, {top.objectName() if top else None!r} is on top")
