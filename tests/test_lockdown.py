"""Lockdown: no way out to the desktop without the maintenance PIN."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.config import Maintenance
from kiosk.pin_lock import PinLock
from kiosk.workflows.references import new_reference
from tests.hubserver import HubServer
from tests.resident import Kiosk, make_kiosk

PIN = "2468"


@pytest.fixture
def locked_kiosk(qtbot, qasync_loop, hub: HubServer, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    k = make_kiosk(qtbot, hub, tmp_path)
    exits: list[int] = []
    k.controller.maintenance.exit_app = exits.append
    k.exits = exits  # type: ignore[attr-defined]
    k.controller.maintenance.pin_lock = PinLock(PasswordHasher().hash(PIN), tmp_path / "state" / "maintenance.json", 5, 300,
                                    clock=lambda: k.now)  # type: ignore[attr-defined]
    k.now = 1000.0  # type: ignore[attr-defined]
    k.controller.maintenance.corner.hold_ms = 200
    yield k
    k.close()


@pytest.mark.parametrize(("key", "mods"), [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier),
])
def test_escape_shortcuts_are_swallowed(kiosk: Kiosk, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    kiosk.start("council-tax-move")
    kiosk.wait_heading("What is your full name?")
    edit = kiosk.widget(QLineEdit, "input_name")
    QApplication.clipboard().setText("pasted")
    before = kiosk.controller.lockdown.swallowed
    kiosk.click_at(edit)  # focused, then the keys arrive as a keyboard's would: at the window first
    kiosk.key(key, mods)
    assert kiosk.controller.lockdown.swallowed == before + 1
    assert kiosk.window.isVisible()
    assert edit.text() == ""  # nothing pasted, nothing typed
    kiosk.qtbot.keyClicks(edit, "ok")  # ordinary typing still works
    assert edit.text() == "ok"


def test_close_is_refused_and_there_are_no_context_menus(kiosk: Kiosk) -> None:
    assert kiosk.window.close() is False
    assert kiosk.window.isVisible()
    flags = kiosk.window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    kiosk.start("council-tax-move")
    edit = kiosk.widget(QLineEdit, "input_name")
    before = kiosk.controller.lockdown.swallowed
    kiosk.click_at(edit, QPoint(5, 5), Qt.MouseButton.RightButton)  # a mouse's right button
    assert kiosk.controller.lockdown.swallowed == before + 1
    assert QApplication.activePopupWidget() is None
    kiosk.key(Qt.Key.Key_Menu)  # a keyboard's menu key
    assert kiosk.controller.lockdown.swallowed == before + 2
    # And were a context-menu event to reach the box anyway, it has no menu to open.
    QApplication.sendEvent(edit, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), edit.mapToGlobal(QPoint(5, 5))))
    assert QApplication.activePopupWidget() is None


def hold_corner(k: Kiosk) -> None:
    k.press(k.window, QPoint(10, 10))
    k.qtbot.waitUntil(lambda: k.window.overlay is not None, timeout=3000)
    k.release(k.window, QPoint(10, 10))


def enter_pin(k: Kiosk, pin: str) -> None:
    """Type a PIN and wait for the answer (argon2 checks it off the Qt thread)."""
    for digit in pin:
        k.tap(f"pin_{digit}")
    pad = k.window.overlay
    k.tap("pin_enter")
    k.qtbot.waitUntil(lambda: k.window.overlay is not pad or k.label_text("pin_message") != "Checking…",
                      timeout=5000)


def test_pin_opens_maintenance_with_the_kiosk_state(locked_kiosk: Kiosk) -> None:
    k = locked_kiosk
    hold_corner(k)
    assert k.label_text("pin_heading") == "Staff only: enter the maintenance PIN"
    for digit in PIN:
        k.tap(f"pin_{digit}")
    display = k.widget(type(k.window.overlay.display), "pin_display")  # type: ignore[union-attr]
    assert display.text() == "●●●●" and PIN not in display.accessibleName()
    k.tap("pin_enter")
    k.wait_heading("Maintenance")
    texts = k.texts()
    assert "Kiosk: test-kiosk at test-site" in texts
    assert "Waiting to send: 0" in texts
    k.tap("action_restart")
    assert k.exits == [75]  # type: ignore[attr-defined]
    k.tap("action_stop")
    assert k.exits == [75, 64]  # type: ignore[attr-defined]
    k.tap("action_back")
    k.wait_page("attract_page")


def test_five_wrong_pins_lock_the_pad_for_five_minutes(locked_kiosk: Kiosk, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.maintenance")
    k = locked_kiosk
    hold_corner(k)
    for tries_left in (4, 3, 2, 1):
        enter_pin(k, "1111")
        assert k.label_text("pin_message") == f"Wrong PIN. {tries_left} tr{'ies' if tries_left > 1 else 'y'} left."
    enter_pin(k, "1111")
    assert k.label_text("pin_message") == "Too many wrong PINs. The PIN pad is locked for 5 minutes."
    assert not k.widget(type(k.window.overlay.keys["1"]), "pin_1").isEnabled()  # type: ignore[union-attr]
    # Even the right PIN is refused while locked, and closing the pad does not reset the lock.
    k.tap("pin_cancel")
    assert k.window.overlay is None
    hold_corner(k)
    assert k.label_text("pin_message").startswith("Too many wrong PINs")
    assert k.controller.maintenance.pin_lock.check(PIN).ok is False  # type: ignore[union-attr]
    k.now += 301  # type: ignore[attr-defined]
    k.tap("pin_cancel")
    hold_corner(k)
    enter_pin(k, PIN)
    k.wait_heading("Maintenance")
    # Every try was logged, and no PIN ever was.
    logged = [r for r in caplog.records if r.name == "kiosk.maintenance"]
    assert len(logged) >= 7
    assert all(PIN not in r.getMessage() and "1111" not in r.getMessage() for r in logged)


def test_the_lock_survives_a_restart(tmp_path: Path) -> None:
    now = [0.0]
    pin_hash = PasswordHasher().hash(PIN)
    lock = PinLock(pin_hash, tmp_path / "m.json", 5, 300, clock=lambda: now[0])
    for _ in range(5):
        assert not lock.check("0000").ok
    restarted = PinLock(pin_hash, tmp_path / "m.json", 5, 300, clock=lambda: now[0])
    assert restarted.check(PIN).locked_for == pytest.approx(300)
    now[0] = 301
    assert restarted.check(PIN).ok


def test_bad_pin_hash_in_config_is_refused() -> None:
    with pytest.raises(ValueError, match="is not an argon2 hash"):
        Maintenance(pin_hash="2468")
    from argon2.low_level import Type

    with pytest.raises(ValueError, match="must be an argon2id hash"):
        Maintenance(pin_hash=PasswordHasher(type=Type.I).hash(PIN))


def test_a_pin_that_cannot_be_checked_says_so_and_frees_the_pad(locked_kiosk: Kiosk, tmp_path: Path) -> None:
    """The lock file cannot be written (here a folder stands where it goes): the pad says the PIN
    could not be checked and takes digits again, rather than staying on "Checking…"."""
    k = locked_kiosk
    (tmp_path / "state" / "maintenance.json").mkdir(parents=True)
    hold_corner(k)
    enter_pin(k, "1111")
    assert k.label_text("pin_message") == "The PIN could not be checked. Try again."
    assert k.widget(type(k.window.overlay.keys["1"]), "pin_1").isEnabled()  # type: ignore[union-attr]
    assert k.page_name() != "maintenance"


def test_refused_items_are_listed_for_staff_and_sent_again_from_maintenance(locked_kiosk: Kiosk) -> None:
    """An item the hub refused earlier (its journey was not published yet, say) is kept, shown
    with the reason, and once the hub is fixed one tap sends it."""
    k = locked_kiosk
    outbox = k.services.outbox
    item = {"reference": new_reference(), "journey_id": "missed-bin", "journey_version": 1,
            "channel": "self-service", "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
            "answers": {"bin_type": "general"}, "summary": [{"question": "Bin", "answer": "General waste"}]}
    outbox.put("submission", uuid.uuid4().hex, item)
    (due,) = outbox.due()
    outbox.hold(due.id, "HTTP 422: Unknown journey 'missed-bin'")
    hold_corner(k)
    for digit in PIN:
        k.tap(f"pin_{digit}")
    k.tap("pin_enter")
    k.wait_heading("Maintenance")
    texts = k.texts()
    assert "Refused by the hub, kept here: 1" in texts
    assert any(t.startswith(f"Refused submission {item['reference']}: HTTP 422: Unknown journey") for t in texts)
    k.tap("action_retry_held")
    k.qtbot.waitUntil(lambda: k.hub is not None and k.hub.case(item["reference"]) is not None, timeout=5000)
    k.qtbot.waitUntil(lambda: outbox.held() == 0 and outbox.depth() == 0, timeout=5000)  # acknowledged
