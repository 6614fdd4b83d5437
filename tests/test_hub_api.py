"""The hub's kiosk API over real HTTP on loopback: auth, look-ups, idempotent intake."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.devices import revoke_device
from hub.gazetteer import GazetteerError, read_gazetteer
from kiosk.workflows.references import new_reference
from tests.hubserver import HubServer


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def payload(reference: str | None = None, **answers: Any) -> dict[str, Any]:
    answers = answers or {"bin_type": "general"}
    return {
        "reference": reference or new_reference(),
        "journey_id": "missed-bin",
        "journey_version": 1,
        "channel": "self-service",
        "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
        "answers": answers,
        "summary": [{"question": k, "answer": str(v)} for k, v in answers.items()],
    }


def test_unknown_missing_and_revoked_tokens_get_401(hub: HubServer) -> None:
    with httpx.Client(base_url=hub.url) as c:
        search = {"postcode": "TS18 1AU"}
        assert c.post("/api/v1/addresses/search", json=search).status_code == 401
        assert c.post("/api/v1/addresses/search", json=search, headers=auth("kt_wrong")).status_code == 401
        token = hub.new_device("revoked-kiosk")
        assert c.post("/api/v1/addresses/search", json=search, headers=auth(token)).status_code == 200
        with hub.state.sessions() as session:
            assert revoke_device(session, "revoked-kiosk")
        r = c.post("/api/v1/addresses/search", json=search, headers=auth(token))
        assert r.status_code == 401
        assert r.json()["detail"] == "Unknown or revoked device token"
        assert c.get("/api/v1/health").json()["status"] == "ok"  # no token needed


def test_tokens_are_stored_only_as_hashes(hub: HubServer) -> None:
    from sqlalchemy import select

    from hub.db import Device

    with hub.state.sessions() as session:
        stored = [d.token_hash for d in session.scalars(select(Device))]
    assert hub.token not in stored
    assert all(len(h) == 64 for h in stored)


def test_address_lookup_normalises_the_postcode(hub: HubServer) -> None:
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        r = c.post("/api/v1/addresses/search", json={"postcode": " ts181tx "})
        assert r.status_code == 200
        body = r.json()
        assert body["postcode"] == "TS18 1TX"
        assert [a["line1"] for a in body["addresses"]] == ["2 Church Road", "4 Church Road", "6 Church Road"]
        bad = c.post("/api/v1/addresses/search", json={"postcode": "nonsense"})
        assert bad.status_code == 422
        assert bad.json()["detail"] == "Postcode must be a real UK postcode, like TS18 1AU"
        none = c.post("/api/v1/addresses/search", json={"postcode": "SW1A 1AA"})
        assert none.json()["addresses"] == []


def test_retried_post_never_creates_a_second_case(hub: HubServer) -> None:
    key = uuid.uuid4().hex
    body = payload()
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        first = c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": key})
        again = c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201 and first.json()["replayed"] is False
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert [c.reference for c in hub.cases()].count(body["reference"]) == 1


def test_concurrent_duplicate_posts_make_one_case(hub: HubServer) -> None:
    key = uuid.uuid4().hex
    body = payload()

    def post() -> int:
        with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
            return c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": key}).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: post(), range(8)))
    assert sorted(codes).count(201) == 1 and set(codes) <= {200, 201}
    assert [c.reference for c in hub.cases()].count(body["reference"]) == 1


def test_bad_submissions_are_refused_and_change_nothing(hub: HubServer) -> None:
    before = len(hub.cases())
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        no_key = c.post("/api/v1/submissions", json=payload())
        assert no_key.status_code == 422
        unknown_journey = c.post("/api/v1/submissions", json={**payload(), "journey_id": "nope"},
                                 headers={"Idempotency-Key": uuid.uuid4().hex})
        assert unknown_journey.status_code == 422
        assert "Unknown journey 'nope'" in unknown_journey.json()["detail"]
        bad_step = c.post("/api/v1/submissions", json=payload(colour="red"), headers={"Idempotency-Key": uuid.uuid4().hex})
        assert bad_step.json()["detail"] == "Answers name steps the journey does not have: colour"
        bad_ref = c.post("/api/v1/submissions", json=payload("NOT-A-REF"), headers={"Idempotency-Key": uuid.uuid4().hex})
        assert bad_ref.status_code == 422
        junk = c.post("/api/v1/submissions", content=b"{not json", headers={"Idempotency-Key": uuid.uuid4().hex,
                                                                            "Content-Type": "application/json"})
        assert junk.status_code == 422
        key = uuid.uuid4().hex
        assert c.post("/api/v1/submissions", json=payload(), headers={"Idempotency-Key": key}).status_code == 201
        reused = c.post("/api/v1/submissions", json=payload(), headers={"Idempotency-Key": key})
        assert reused.status_code == 422
        assert reused.json()["detail"] == "Idempotency-Key was already used for a different submission"
    assert len(hub.cases()) == before + 1


def test_answers_are_encrypted_at_rest(hub: HubServer) -> None:
    body = payload(details="CANARY-7d1f-secret-text")
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        assert c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}).status_code == 201
    stored = hub.stored_bytes()
    assert body["reference"].encode() in stored  # what was read is the database
    assert b"CANARY-7d1f" not in stored
    case = hub.case(body["reference"])
    assert case is not None and hub.answers(case)["details"] == "CANARY-7d1f-secret-text"


def test_status_and_tracking_page_show_no_personal_data(hub: HubServer) -> None:
    body = payload(details="Ms Canary, 1 Secret Lane")
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
        status = c.get(f"/api/v1/requests/{body['reference']}")
        assert status.status_code == 200
        assert status.json()["title"] == "Report a missed bin"
        assert "Canary" not in status.text
        assert c.get("/api/v1/requests/ZZZZ-ZZZZ-ZZZZ").status_code == 404
    with httpx.Client(base_url=hub.url) as public:
        page = public.get(f"/track/{body['reference']}")
        assert page.status_code == 200
        assert "Report a missed bin" in page.text and body["reference"] in page.text
        assert "Canary" not in page.text
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert public.get("/track/ZZZZ-ZZZZ-ZZZZ").status_code == 404


def test_staff_inbox_needs_a_staff_account(hub: HubServer) -> None:
    from hub.staff import create_staff

    with hub.state.sessions() as session:
        create_staff(session, "officer1", "Olu Officer", "officer", "correct-horse-battery")
    body = payload(details="visible to staff")
    with httpx.Client(base_url=hub.url, headers=auth(hub.token)) as c:
        c.post("/api/v1/submissions", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    with httpx.Client(base_url=hub.url) as c:
        assert c.get("/staff/cases").status_code == 401
        assert c.get("/staff/cases", auth=("officer1", "wrong-password")).status_code == 401
        listing = c.get("/staff/cases", auth=("officer1", "correct-horse-battery"))
        assert listing.status_code == 200 and body["reference"] in listing.text
        detail = c.get(f"/staff/cases/{body['reference']}", auth=("officer1", "correct-horse-battery"))
        assert "visible to staff" in detail.text


def test_openapi_is_served(hub: HubServer) -> None:
    spec = httpx.get(f"{hub.url}/openapi.json").json()
    assert "/api/v1/submissions" in spec["paths"]
    assert "/api/v1/addresses/search" in spec["paths"]


def test_bulky_waste_slots_are_offered_days(hub: HubServer) -> None:
    r = httpx.get(f"{hub.url}/api/v1/options/bulky_waste_slots", headers=auth(hub.token))
    options = r.json()["options"]
    assert len(options) == 6
    for o in options:
        d = dt.date.fromisoformat(o["value"])
        assert d.strftime("%A") in ("Tuesday", "Thursday") and d >= dt.date.today() + dt.timedelta(days=3)
    assert httpx.get(f"{hub.url}/api/v1/options/other", headers=auth(hub.token)).status_code == 404


@pytest.mark.parametrize(("line", "message"), [
    ("x,1 A St,,Town,TS18 1AU,W,R,Monday,,,A", "line 2: uprn: must be up to 12 digits"),
    ("1,1 A St,,Town,NOPE,W,R,Monday,,,A", "line 2: postcode: 'NOPE' is not a UK postcode"),
    ("1,1 A St,,Town,TS18 1AU,W,R,Funday,,,A", "line 2: general_waste_day: 'Funday' is not a day of the week"),
    ("1,,,Town,TS18 1AU,W,R,Monday,,,A", "line 2: line1 and town must not be empty"),
])
def test_gazetteer_rows_are_checked(tmp_path: Path, line: str, message: str) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text("uprn,line1,line2,town,postcode,ward,round,general_waste_day,recycling_day,garden_waste_day,"
                   f"council_tax_band\n{line}\n")
    with pytest.raises(GazetteerError, match=message):
        read_gazetteer(csv)
    (tmp_path / "h.csv").write_text("uprn,line1\n1,x\n")
    with pytest.raises(GazetteerError, match="line 1: missing column"):
        read_gazetteer(tmp_path / "h.csv")


HEAD = "uprn,line1,line2,town,postcode,ward,round,general_waste_day,recycling_day,garden_waste_day,council_tax_band"


def test_gazetteer_coordinates_in_degrees_or_the_national_grid(tmp_path: Path) -> None:
    degrees = tmp_path / "deg.csv"
    degrees.write_text(f"{HEAD},latitude,longitude\n1,1 A St,,Town,TS18 1AU,W,R,Monday,,,A,54.5635,-1.3116\n"
                       "2,2 A St,,Town,TS18 1AU,W,R,Monday,,,A,,\n")
    first, second = read_gazetteer(degrees)
    assert (first.latitude, first.longitude) == (54.5635, -1.3116)
    assert (second.latitude, second.longitude) == (None, None)  # coordinates are optional per row
    grid = tmp_path / "grid.csv"
    # Buckingham Palace: easting 529090, northing 179645 is 51.5013 N, 0.1419 W.
    grid.write_text(f"{HEAD},easting,northing\n1,Palace,,London,SW1A 1AA,W,R,Monday,,,H,529090,179645\n")
    (palace,) = read_gazetteer(grid)
    assert palace.latitude is not None and palace.longitude is not None
    assert abs(palace.latitude - 51.5013) < 0.0005 and abs(palace.longitude + 0.1419) < 0.0005


@pytest.mark.parametrize(("columns", "values", "message"), [
    ("latitude,longitude", "91,-1.3", "line 2: latitude: 91.0 is outside Great Britain"),
    ("latitude,longitude", "54.5,north", "line 2: longitude: 'north' is not a number"),
    ("easting,northing", "-5,518909", "line 2: easting: -5.0 is outside Great Britain"),
    ("easting", "444612", "line 1: easting and northing come together"),
    ("latitude", "54.5", "line 1: latitude and longitude come together"),
])
def test_gazetteer_coordinates_are_checked(tmp_path: Path, columns: str, values: str, message: str) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text(f"{HEAD},{columns}\n1,1 A St,,Town,TS18 1AU,W,R,Monday,,,A,{values}\n")
    with pytest.raises(GazetteerError, match=message):
        read_gazetteer(csv)
