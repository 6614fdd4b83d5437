"""Council insight: scripted sessions through the real kiosk give exactly the expected figures
at the hub; nothing typed is stored; small counts are suppressed; the CSV matches the page."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from hub.config import InsightSettings
from hub.db import InsightCount, InsightEvent
from hub.insight import counts, sweep
from hub.staff import create_staff
from tests.hubserver import HubServer, sign_in, start_hub
from tests.resident import Kiosk, make_kiosk
from tests.test_assist import claim_first

ROOT = Path(__file__).resolve().parent.parent
AUTH = ("analyst", "insight-password-1")
OFFICER = ("oli", "officer-password-2")


@pytest.fixture
def insight_hub(tmp_path: Path) -> Iterator[HubServer]:
    server = start_hub(tmp_path / "hub", insight=InsightSettings(min_count=1))
    with server.state.sessions() as session:
        create_staff(session, *AUTH[:1], "Ana Analyst", "insight", AUTH[1])
        create_staff(session, "officer9", "Olu Officer", "officer", "officer-password-1")
        create_staff(session, *OFFICER[:1], "Oli Officer", "officer", OFFICER[1])
    yield server
    server.stop()


def flush_events(k: Kiosk) -> None:
    k.controller.shell.events.flush()  # written a moment after the tap that made them: now
    k.services.worker.wake()
    k.qtbot.waitUntil(lambda: k.services.outbox.depth("event") == 0, timeout=10000)


def test_scripted_sessions_give_exact_figures(qtbot, qasync_loop, insight_hub: HubServer,  # type: ignore[no-untyped-def]
                                              tmp_path: Path) -> None:
    k = make_kiosk(qtbot, insight_hub, tmp_path / "kiosk")
    try:
        k.controller.shell.question_ms, k.controller.idle.warning_ms = 60000, 2000
        # 1. Finished, with one validation error, and a "why" answer.
        k.start("missed-bin")
        k.typed_address("address")
        k.choose("bin_type", "general")
        k.wait_heading("When was your bin due to be collected?")
        k.cont()  # no date given: "Enter the date your bin was due"
        k.qtbot.waitUntil(lambda: k.errors() == ["Enter the date your bin was due"])
        k.send_missed_bin_from_date()
        k.tap("finish")
        k.wait_page("why")
        k.tap("action_why_not_confident")
        k.wait_page("attract_page")
        # 2. Left at step 3 ("when"), by starting again; asked for help first.
        k.start("missed-bin")
        k.typed_address("address")
        k.choose("bin_type", "recycling")
        k.wait_heading("When was your bin due to be collected?")
        k.tap("get_help")
        k.tap("overlay_close")
        k.tap("start_again")
        k.tap("overlay_confirm")
        k.wait_page("attract_page")
        # 3. Timed out at step 2.
        k.start("missed-bin")
        k.typed_address("address")
        k.wait_heading("Which bin was missed?")
        k.controller.shell.question_ms = 300
        k.controller.idle.arm(300)
        k.wait_page("attract_page", timeout=8000)
        k.controller.shell.question_ms = 60000
        # 4. Assisted: an officer joins with a code, then the resident finishes.
        k.start("missed-bin")
        k.typed_address("address")
        k.wait_heading("Which bin was missed?")
        k.tap("get_help")
        k.qtbot.waitUntil(lambda: k.label_text("overlay_heading") ==
                          "A member of staff has been asked to come to this screen", timeout=5000)
        k.tap("overlay_close")
        officer = sign_in(insight_hub, OFFICER)
        try:
            code = claim_first(officer)
        finally:
            officer.close()
        k.tap("staff")
        k.qtbot.waitUntil(lambda: k.window.overlay is not None, timeout=2000)
        for digit in code:
            k.tap(f"pin_{digit}")
        k.tap("pin_enter")
        k.qtbot.waitUntil(k.window.banner.isVisible, timeout=5000)
        k.tap("assist_hand_back")
        k.tap("overlay_close")  # "You are in control again"
        k.choose("bin_type", "general")
        k.send_missed_bin_from_date()
        k.tap("finish")
        k.wait_page("why")
        k.tap("action_skip")
        k.wait_page("attract_page")
        # 5. Handed to a phone at step 2.
        k.start("missed-bin")
        k.typed_address("address")
        k.wait_heading("Which bin was missed?")
        k.tap("handoff")
        k.wait_page("handoff_page")
        k.tap("done")
        k.wait_page("attract_page")
        # 6. A finished look-up, "why" skipped.
        k.start("free-wifi")
        k.choose("need", "wifi")
        k.wait_page("result")
        k.tap("finish")
        k.wait_page("why")
        k.tap("action_skip")
        k.wait_page("attract_page")
        flush_events(k)
    finally:
        k.close()

    with insight_hub.state.sessions() as session:
        c = counts(session, dt.date.today() - dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=1), None)
    assert c.get("sessions") == 6
    assert c.items("started") == {"missed-bin": 5, "free-wifi": 1}
    assert c.items("finished") == {"missed-bin": 2, "free-wifi": 1}
    assert c.items("channel") == {"self-service": 2, "assisted": 1}
    reached = c.items("reached")
    assert reached["missed-bin/address"] == 5
    assert reached["missed-bin/bin_type"] == 5
    assert reached["missed-bin/when"] == 3  # once per session, though session 1 saw it twice
    assert reached["missed-bin/check"] == 2
    assert c.items("left") == {"missed-bin/when/start_again": 1, "missed-bin/bin_type/timeout": 1,
                               "missed-bin/bin_type/handoff": 1}
    assert c.items("errors") == {"missed-bin/when/day/missing": 1}
    assert c.items("help") == {"missed-bin": 2}
    assert c.items("handoff_started") == {"missed-bin": 1}
    assert c.items("why") == {"not_confident": 1}
    assert c.items("language") == {"en": 6}
    assert c.items("accessibility") == {"none": 6}

    # The page says the same, and each CSV matches its table on the page.
    with httpx.Client(base_url=insight_hub.url, auth=AUTH) as client:
        page = client.get("/insight")
        assert page.status_code == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(page.text)))  # as read
        assert " Completion rate 50% " in text  # 3 of 6 tasks
        assert "assisted share) 33% " in text  # 1 of 3 finished
        assert " Moved to a phone: started 1 " in text
        assert " Estimated cost avoided £16.94 " in text  # 2 x (8.62 - 0.15)
        for name in ("summary", "tasks", "funnel-missed-bin", "errors", "why", "languages", "accessibility"):
            table = re.search(rf'<section aria-labelledby="h-{name}"[^>]*>.*?<tbody[^>]*>(.*?)</tbody>', page.text,
                              re.S)
            assert table is not None, name
            rows = [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                     for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)]
            csv_rows = list(csv.reader(io.StringIO(client.get(f"/insight/{name}.csv").text)))
            assert csv_rows[1:] == rows, name
        funnel = list(csv.reader(io.StringIO(client.get("/insight/funnel-missed-bin.csv").text)))
        assert funnel[0] == ["Step", "Reached", "Left here", "Why they left"]
        assert ["Bin", "5", "2", "1 moved to a phone; 1 timed out"] in funnel
        assert ["Due on", "3", "1", "1 started again"] in funnel
        assert client.get("/insight", auth=("officer9", "officer-password-1")).status_code == 403


def test_a_taps_usage_event_is_written_after_its_page(qtbot, qasync_loop, insight_hub: HubServer,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    """The page a tap leads to is drawn before the tap's usage event is written to the outbox
    (kiosk/events.py); the kiosk writes it a moment later by itself, and it reaches the hub."""
    k = make_kiosk(qtbot, insight_hub, tmp_path / "kiosk")
    try:
        events = k.controller.shell.events
        k.start("missed-bin")
        k.typed_address("address")
        k.wait_heading("Which bin was missed?")
        k.qtbot.waitUntil(lambda: events.pending == 0, timeout=3000)
        old = k.page
        at_paint: list[int] = []  # events not yet written when the new page is first drawn

        class Drawn(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                page = k.window.page
                if (not at_paint and event.type() == QEvent.Type.Paint and page is not old and page is not None
                        and isinstance(obj, QWidget) and (obj is page or page.isAncestorOf(obj))):
                    at_paint.append(events.pending)
                return False

        drawn = Drawn()
        QApplication.instance().installEventFilter(drawn)  # type: ignore[union-attr]
        try:
            k.choose("bin_type", "general")
            k.wait_heading("When was your bin due to be collected?")
            k.qtbot.waitUntil(lambda: bool(at_paint), timeout=3000)
        finally:
            QApplication.instance().removeEventFilter(drawn)  # type: ignore[union-attr]
        assert at_paint == [1]  # drawn with its event ("when" reached) still to be written
        k.qtbot.waitUntil(lambda: events.pending == 0, timeout=3000)  # no flush asked for: on its own
        flush_events(k)
    finally:
        k.close()
    with insight_hub.state.sessions() as session:
        steps = [(e.kind, e.step) for e in session.scalars(select(InsightEvent))]
    assert ("step_reached", "when") in steps


def test_small_counts_are_suppressed(insight_hub: HubServer) -> None:
    from hub.config import InsightSettings as Settings
    from hub.insight import Counts
    from hub.insight_report import Report

    one = {"site-a": Counts({"started": {"missed-bin": 12, "bin-days": 3, "fly-tipping": 20},
                             "finished": {"missed-bin": 9, "bin-days": 2, "fly-tipping": 0},
                             "why": {"no_internet": 4, "no_device": 7}, "sessions": {"": 35}})}
    report = Report(one, None, insight_hub.state.journeys, Settings(min_count=5))
    tasks = {r[0]: r[1:] for r in report.tasks().rows}
    assert tasks["Report fly-tipping"] == ["20", "0", "0%"]
    assert tasks["Check your bin days"] == ["fewer than 5", "fewer than 5", "suppressed"]
    # 35 started in all is shown, so 12 must go too, or 35 - 20 - 12 gives the 3; the same for
    # 11 finished - 9.
    assert tasks["Report a missed bin"] == ["suppressed", "suppressed", "suppressed"]
    summary = dict(report.summary().rows)
    assert (summary["Tasks started"], summary["Tasks finished"]) == ("35", "11")
    why = dict(report.why().rows)
    assert why == {"No phone or computer": "7", "No internet at home": "fewer than 5"}
    chart = dict(report.why().chart)
    assert chart["No internet at home"] == [None]  # not drawn to scale either


def test_no_subtraction_between_sites_gives_a_small_count(insight_hub: HubServer) -> None:
    """Security review L5: all sites 15 minus site B 12 was site A's 3."""
    from hub.config import InsightSettings as Settings
    from hub.insight import Counts
    from hub.insight_report import Report

    by_site = {"site-a": Counts({"started": {"missed-bin": 3}, "help": {"missed-bin": 6}}),
               "site-b": Counts({"started": {"missed-bin": 12}, "help": {"missed-bin": 9}}),
               "site-c": Counts({"help": {"missed-bin": 2}})}

    def seen(site: str | None) -> tuple[str, str]:
        report = Report(by_site, site, insight_hub.state.journeys, Settings(min_count=5))
        summary = dict(report.summary().rows)
        return summary["Tasks started"], summary["Help requested"]

    assert seen(None) == ("15", "17")
    assert seen("site-a") == ("fewer than 5", "suppressed")  # 6, but 17 - 9 - 6 would give site C's 2
    assert seen("site-b") == ("suppressed", "9")  # 15 - 12 would give site A's 3
    assert seen("site-c") == ("0", "fewer than 5")
    for site in ("site-a", "site-b", "site-c"):  # and no site's figure is anywhere in the page's CSV rows
        report = Report(by_site, site, insight_hub.state.journeys, Settings(min_count=5))
        assert [r[1:3] for r in report.tasks().rows] in ([["fewer than 5", "0"]], [["suppressed", "0"]], [])


def event(**fields: object) -> dict[str, object]:
    return {"id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "at": dt.datetime.now(dt.UTC).isoformat(),
            **fields}


def test_hub_accepts_only_codes_never_free_text(insight_hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {insight_hub.token}"}
    with httpx.Client(base_url=insight_hub.url, headers=headers) as c:
        def post(*events: dict[str, object]) -> httpx.Response:
            return c.post("/api/v1/events", json={"events": list(events)})

        good = event(kind="journey_started", journey="missed-bin")
        assert post(good).json() == {"accepted": 1}
        assert post(good).json() == {"accepted": 0}  # a retry changes nothing
        refused = [
            event(kind="journey_started", journey="missed-bin", answer="1 High Street"),  # unknown key
            event(kind="step_reached", journey="missed-bin", step="Ms Smith lives here"),  # not an id
            event(kind="step_reached", journey="missed-bin", step="nowhere"),  # not a step
            event(kind="journey_started", journey="tell-us-your-secrets"),
            event(kind="why_answer", reason="because I am Jo Bloggs"),
            event(kind="validation_error", journey="missed-bin", step="when", error_kind="typed 31/02"),
        ]
        for bad in refused:
            r = post(event(kind="journey_started", journey="bin-days"), bad)
            assert r.status_code == 422, bad
        r = post(event(kind="step_reached", journey="missed-bin", step="nowhere"))
        assert r.json()["detail"].endswith("journey 'missed-bin' has no step 'nowhere'")
    with insight_hub.state.sessions() as session:
        stored = session.scalars(select(InsightEvent)).all()
    assert [e.journey for e in stored] == ["missed-bin"]  # the refused batches stored nothing


def test_raw_events_expire_and_counts_stay(insight_hub: HubServer) -> None:
    headers = {"Authorization": f"Bearer {insight_hub.token}"}
    old = event(kind="journey_started", journey="bin-days")
    old["at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=100)).isoformat()
    httpx.post(f"{insight_hub.url}/api/v1/events", json={"events": [old]}, headers=headers)
    with insight_hub.state.sessions() as session:
        assert sweep(session, 90) == 1
        assert session.get(InsightEvent, old["id"]) is None
        kept = session.scalars(select(InsightCount).where(InsightCount.metric == "started")).all()
        assert sum(r.count for r in kept if r.key == "bin-days") == 1
