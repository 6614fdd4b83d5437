"""The Qt-free journey engine: branching, back, change, optional answers, what is submitted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.workflows.engine import JourneySession
from kiosk.workflows.loader import parse_journey
from kiosk.workflows.model import StepType

JOURNEYS = Path(__file__).resolve().parent.parent / "config" / "journeys"
ADDRESS = {"mode": "select", "postcode": "ts18 1au",
           "address": {"uprn": "900000000001", "line1": "1 High Street", "line2": "", "town": "Stockton-on-Tees",
                       "postcode": "TS18 1AU"}}


@pytest.fixture
def missed_bin() -> JourneySession:
    return JourneySession(parse_journey(JOURNEYS / "missed-bin.toml"), today=lambda: dt.date(2026, 11, 25))


def test_branch_by_data_and_back_keeps_answers(missed_bin: JourneySession) -> None:
    s = missed_bin
    assert s.submit_answer(ADDRESS)
    assert s.submit_answer("garden")
    assert s.current.id == "garden_subscribed"
    assert s.back()
    assert s.current.id == "bin_type"
    assert s.view().value == "garden"  # back keeps the answer
    assert s.submit_answer("general")
    assert s.current.id == "when"  # the garden question is skipped now


def test_errors_do_not_move_on_or_store(missed_bin: JourneySession) -> None:
    s = missed_bin
    assert not s.submit_answer({"mode": "select", "postcode": "nonsense", "address": None})
    assert s.current.id == "address"
    assert s.view().errors[0].message == "Postcode must be a real UK postcode, like TS18 1AU"
    assert "address" not in s.answers
    assert not s.submit_answer({"mode": "select", "postcode": "TS18 1AU", "address": None})
    assert s.view().errors[0].part == "address"


def run_to_check(s: JourneySession) -> None:
    for raw in (ADDRESS, "garden", "yes", {"day": "20", "month": "11", "year": "2026"}, "kerbside", "", ""):
        assert s.submit_answer(raw), s.view().errors
    assert s.current.type == StepType.CHECK_ANSWERS


def test_change_returns_to_check_answers_and_drops_off_path_answers(missed_bin: JourneySession) -> None:
    s = missed_bin
    run_to_check(s)
    rows = {r.step_id: r.answer for r in s.summary()}
    assert rows["garden_subscribed"] == "Yes"
    assert rows["details"] == "Not provided"
    s.change("bin_type")
    assert s.current.id == "bin_type"
    assert s.submit_answer("recycling")
    assert s.current.type == StepType.CHECK_ANSWERS  # straight back, nothing new to ask
    sub = s.submission()
    assert "garden_subscribed" not in sub["answers"]
    assert sub["answers"]["bin_type"] == "recycling"
    assert sub["answers"]["details"] is None


def test_change_into_a_new_branch_asks_the_new_question_first(missed_bin: JourneySession) -> None:
    s = missed_bin
    for raw in (ADDRESS, "general", {"day": "20", "month": "11", "year": "2026"}, "kerbside", "", ""):
        assert s.submit_answer(raw)
    s.change("bin_type")
    assert s.submit_answer("garden")
    assert s.current.id == "garden_subscribed"
    assert s.submit_answer("yes")
    assert s.current.type == StepType.CHECK_ANSWERS


def test_future_date_refused_for_a_missed_collection(missed_bin: JourneySession) -> None:
    s = missed_bin
    s.submit_answer(ADDRESS)
    s.submit_answer("general")
    assert not s.submit_answer({"day": "1", "month": "12", "year": "2026"})
    assert s.view().errors[0].message == "The date your bin was due must be today or in the past"
    assert s.view().value == {"day": "1", "month": "12", "year": "2026"}  # what they typed stays


def test_multi_choice_rejects_values_not_offered() -> None:
    s = JourneySession(parse_journey(JOURNEYS / "fly-tipping.toml"))
    s.history.append("what")
    assert not s.submit_answer(["bags", "plutonium"])
    assert s.submit_answer(["tyres", "bags"])
    assert s.answers["what"] == ["bags", "tyres"]  # in the order offered


def test_dynamic_options_must_be_loaded_and_respected() -> None:
    s = JourneySession(parse_journey(JOURNEYS / "bulky-waste.toml"))
    s.history.append("slot")
    assert s.needs_dynamic_options() == "bulky_waste_slots"
    from kiosk.workflows.describe import OptionView

    s.set_dynamic_options("slot", [OptionView("2026-12-01", "Tuesday 1 December")])
    assert s.needs_dynamic_options() == ""
    assert not s.submit_answer("2026-12-02")
    assert s.submit_answer("2026-12-01")


def test_the_preview_is_the_page_the_answer_then_leads_to_and_changes_nothing(missed_bin: JourneySession) -> None:
    s = missed_bin
    assert s.submit_answer(ADDRESS)
    before = (dict(s.answers), list(s.history), s.view())
    preview = s.preview_next()
    assert preview is not None
    assert (dict(s.answers), list(s.history), s.view()) == before  # a what-if only
    assert s.submit_answer("general")
    assert s.view() == preview.view  # the route for an answer the routes do not name
    assert s.submit_answer({"mode": "other", "day": "2", "month": "11", "year": "2026"})
    assert s.current.id == "where_left"


def test_a_check_answers_preview_leaves_the_coming_answer_blank(missed_bin: JourneySession) -> None:
    s = missed_bin
    for answer in (ADDRESS, "general", {"mode": "other", "day": "2", "month": "11", "year": "2026"},
                   "kerbside", ""):
        assert s.submit_answer(answer), s.view().errors
    assert s.current.id == "email"
    preview = s.preview_next()
    assert preview is not None and preview.view.type == StepType.CHECK_ANSWERS
    assert [r.step_id for r in preview.rows][-2:] == ["details", "email"]
    assert preview.rows[-1].answer == ""  # not known yet
    assert s.submit_answer("resident@example.com")
    assert s.view() == preview.view
    assert [(r.step_id, r.label) for r in s.summary()] == [(r.step_id, r.label) for r in preview.rows]


def test_no_preview_from_check_answers(missed_bin: JourneySession) -> None:
    s = missed_bin
    for answer in (ADDRESS, "general", {"mode": "other", "day": "2", "month": "11", "year": "2026"},
                   "kerbside", "", ""):
        assert s.submit_answer(answer), s.view().errors
    assert s.current.type == StepType.CHECK_ANSWERS
    assert s.preview_next() is None
