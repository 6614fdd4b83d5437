"""Shared-terminal safety: the idle warning, and a wipe proven by searching for what was typed."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from sqlalchemy import select

from hub.db import InsightCount, InsightEvent
from tests.fakehub import Reply, fake_hub
from tests.hubserver import HubServer, start_hub
from tests.resident import OUTBOX_KEY, Kiosk, make_kiosk
from tests.sealed import ids_in, unsealed, without_ids

ROOT = Path(__file__).resolve().parent.parent
CANARY_JOURNEYS = ROOT / "tests" / "data" / "journeys"
# Unique strings typed into every kind of field; none can appear on the screen by chance.
CANARIES = ["Zqxvcanarytext", "Zqxvcanarystory", "739157", "1953", "zqxvcanary@example.com", "958273",
            "Zqxvcanaryroad", "Zqxvtown", "ZQXV-KMWP-TRHY", "ZQXVKMWPTRHY", "Zqxvclipboard"]


def short_timeouts(kiosk: Kiosk, question_ms: int = 400, confirmation_ms: int = 300, warning_ms: int = 2000) -> None:
    kiosk.controller.shell.question_ms = question_ms
    kiosk.controller.shell.confirmation_ms = confirmation_ms
    kiosk.controller.idle.warning_ms = warning_ms


def test_idle_warning_counts_down_extends_repeatedly_then_wipes(kiosk: Kiosk) -> None:
    short_timeouts(kiosk)
    kiosk.start("council-tax-move")
    kiosk.wait_heading("What is your full name?")
    kiosk.type("input_name", "Still Here")
    for _ in range(3):  # "I need more time", as often as they like
        kiosk.qtbot.waitUntil(lambda: kiosk.window.overlay is not None, timeout=5000)
        assert kiosk.label_text("overlay_heading") == "Do you need more time?"
        assert kiosk.label_text("overlay_text_0") == "Your answers will be deleted in 2 seconds."
        kiosk.tap("overlay_more_time")
        assert kiosk.window.overlay is None
        assert kiosk.widget(QLineEdit, "input_name").text() == "Still Here"
    kiosk.qtbot.waitUntil(lambda: kiosk.window.overlay is not None, timeout=5000)
    kiosk.qtbot.waitUntil(lambda: kiosk.label_text("overlay_text_0") == "Your answers will be deleted in 1 second.",
                          timeout=3000)
    kiosk.wait_page("attract_page", timeout=5000)
    assert kiosk.controller.shell.resident.journey is None


def test_confirmation_closes_itself_after_its_own_shorter_timeout(kiosk: Kiosk) -> None:
    short_timeouts(kiosk, question_ms=60000, confirmation_ms=300)
    kiosk.report_missed_bin()
    kiosk.qtbot.waitUntil(lambda: kiosk.window.overlay is not None, timeout=5000)
    assert kiosk.label_text("overlay_text_0") == "This screen will close in 2 seconds."
    kiosk.wait_page("attract_page", timeout=5000)


def test_timer_is_paused_while_the_kiosk_is_busy(qtbot, qasync_loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with fake_hub(Reply(hang=True)) as fake:
        kiosk = make_kiosk(qtbot, None, tmp_path, hub_url=fake.url, token="kt_x")
        try:
            short_timeouts(kiosk, question_ms=300)
            kiosk.start("track-request")
            kiosk.type("input_reference", "KQ4M-7XTB-3HNP")
            kiosk.cont()
            kiosk.wait_heading("Please wait")
            # The focus (what a screen reader reads) is on "Please wait", not passed on to the
            # top bar's first button when the page with Continue went.
            assert QApplication.focusWidget() is kiosk.widget(QLabel, "page_heading")
            assert not kiosk.controller.idle.active
            assert kiosk.window.overlay is None
            # The look-up times out (5 s read timeout); the fault page arms the timer again.
            kiosk.wait_heading("Sorry, we cannot check this right now", timeout=10000)
            assert kiosk.controller.idle.active
        finally:
            kiosk.close()


# ---- the canary wipe ---------------------------------------------------------------------

@pytest.fixture
def canary_hub(tmp_path: Path) -> Iterator[HubServer]:
    server = start_hub(tmp_path / "hub", journeys_dir=CANARY_JOURNEYS)
    yield server
    server.stop()


def fill_every_field(kiosk: Kiosk) -> None:
    kiosk.start("canary")
    kiosk.wait_heading("Text?")
    kiosk.type("input_name", "Zqxvcanarytext")
    kiosk.cont()
    kiosk.type("input_story", "Zqxvcanarystory about the day")
    kiosk.cont()
    kiosk.type("input_count", "739157")
    kiosk.cont()
    kiosk.date("when", "13", "7", "1953")
    kiosk.cont()
    kiosk.type("input_email", "zqxvcanary@example.com")
    kiosk.cont()
    kiosk.type("input_phone", "07700 958273")
    kiosk.cont()
    kiosk.typed_address("where", "8 Zqxvcanaryroad", "Zqxvtown")
    kiosk.wait_heading("Reference?")
    # This one typed by touch on the on-screen keyboard.
    edit = kiosk.widget(QLineEdit, "input_ref")
    kiosk.click_at(edit)
    kiosk.qtbot.waitUntil(kiosk.window.keyboard.isVisible, timeout=2000)
    kiosk.window.keyboard.type_text("ZQXV-KMWP-TRHY".lower().replace("-", " "))
    kiosk.cont()
    kiosk.choose("pick", "b")
    kiosk.wait_page("check_answers")
    assert "Zqxvcanarytext" in kiosk.texts()
    clipboard = QApplication.clipboard()
    clipboard.setText("Zqxvclipboard")  # as if something had been copied


def leftovers(kiosk: Kiosk, dirs: list[Path]) -> list[str]:
    found = []
    for w in QApplication.allWidgets():
        for attr in ("text", "toPlainText", "accessibleName", "accessibleDescription", "toolTip", "placeholderText",
                     "windowTitle", "statusTip", "whatsThis"):
            getter = getattr(w, attr, None)
            if not callable(getter):
                continue
            try:
                value = str(getter())
            except TypeError:
                continue
            for canary in CANARIES:
                if canary.lower() in value.lower():
                    found.append(f"{type(w).__name__} {w.objectName()!r}.{attr}: {canary}")
    clip = QApplication.clipboard().text()
    found += [f"clipboard: {c}" for c in CANARIES if c.lower() in clip.lower()]
    files = {path: unsealed(path.read_bytes(), OUTBOX_KEY) for d in dirs for path in d.rglob("*") if path.is_file()}
    ids = set().union(*map(ids_in, files.values()))
    for path, data in files.items():
        data = without_ids(data, ids).lower()
        found += [f"file {path}: {c}" for c in CANARIES if c.lower().encode() in data]
    return found


@pytest.mark.parametrize("exit_path", ["finish", "timeout", "start_again"])
def test_nothing_typed_survives_any_exit(qtbot, qasync_loop, canary_hub: HubServer, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         exit_path: str, json_log: io.StringIO) -> None:
    kiosk = make_kiosk(qtbot, canary_hub, tmp_path / "kiosk", journeys_dir=CANARY_JOURNEYS)
    try:
        fill_every_field(kiosk)
        assert leftovers(kiosk, []), "the search must see what is on screen"
        if exit_path == "finish":
            kiosk.tap("continue")
            kiosk.wait_page("confirmation")
            qtbot.waitUntil(lambda: kiosk.label_text("send_status").startswith("Sent"), timeout=5000)
            kiosk.tap("finish")
            kiosk.wait_page("why")
            kiosk.tap("action_why_no_device")
        elif exit_path == "timeout":
            short_timeouts(kiosk)
            kiosk.controller.idle.arm(kiosk.controller.shell.question_ms)
        else:
            kiosk.tap("start_again")
            # The safe answer has focus: Enter goes back to the answers, never deletes them.
            focused = QApplication.focusWidget()
            assert focused is not None and focused.objectName() == "overlay_cancel"
            kiosk.tap("overlay_confirm")
        kiosk.wait_page("attract_page", timeout=8000)
        assert kiosk.controller.shell.resident.journey is None
        # Destroyed pages go at the next turn of the event loop; wait for that, then search.
        dirs = [kiosk.services.settings.state_dir]
        try:
            qtbot.waitUntil(lambda: not leftovers(kiosk, dirs), timeout=3000)
        except Exception:
            pytest.fail("left after the wipe:\n" + "\n".join(leftovers(kiosk, dirs)))
        # The usage events of the session reached the hub, and hold nothing that was typed.
        kiosk.controller.shell.events.flush()  # written a moment after the tap that made them: now
        kiosk.services.worker.wake()
        try:
            qtbot.waitUntil(lambda: kiosk.services.outbox.depth("event") == 0, timeout=10000)
        except Exception:
            pytest.fail(f"events not sent: {kiosk.services.outbox.depth('event')} queued, "
                        f"{kiosk.services.outbox.held()} held, last error {kiosk.services.worker.last_error!r}")
        with canary_hub.state.sessions() as session:
            stored = [repr(vars(row)) for model in (InsightEvent, InsightCount) for row in session.scalars(select(model))]
        assert any("canary" in row for row in stored)  # the journey id, so the search sees events
        assert [c for c in CANARIES if any(c.lower() in row.lower() for row in stored)] == []
        log_text = json_log.getvalue()
        assert '"msg": "session ended"' in log_text  # the log was captured...
        assert all(json.loads(line) for line in log_text.splitlines())
        assert [c for c in CANARIES if c.lower() in log_text.lower()] == []  # ...and holds no answers
        if exit_path == "finish":
            case = canary_hub.cases()[-1]
            assert canary_hub.answers(case)["name"] == "Zqxvcanarytext"  # it did reach the council
    finally:
        kiosk.close()


def test_wipe_resets_what_the_session_changed(kiosk: Kiosk) -> None:
    calls: list[str] = []
    kiosk.controller.shell.when_wiped(lambda _reason: calls.append("reset"))
    (kiosk.controller.session_flow.tmp_dir / "scan.tmp").write_text("Zqxvcanary")
    kiosk.start("council-tax-move")
    kiosk.controller.end_session("start_again")
    assert calls
    assert not any(kiosk.controller.session_flow.tmp_dir.iterdir())
    assert isinstance(kiosk.page, QWidget) and kiosk.page_name() == "attract_page"
