"""Property-based fuzzing of the hub from its own OpenAPI document (schemathesis generates the
requests, hypothesis drives them): every operation, with a kiosk's token, without one, and as a
signed-in admin. Nothing may fail with a server error (501, "not set up at this council", is a
deliberate answer), and every kiosk API answer, refusals included, must match the document.
Bounded: a few examples per operation, about a minute in all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.hubserver import HubServer, start_hub

EXAMPLES = 12


def headers_for(hub: HubServer, who: str) -> dict[str, str]:
    base = {"Idempotency-Key": uuid.uuid4().hex}
    if who == "kiosk":
        return base | {"Authorization": f"Bearer {hub.token}"}
    if who == "staff":
        hub.staff_get("/staff/cases")
        assert hub.admin is not None
        return base | {"Cookie": "; ".join(f"{k}={v}" for k, v in hub.admin.cookies.items())}
    return base


@pytest.fixture(scope="module")
def fuzzed_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    """A hub of its own: fuzzing uses up rate limits and leaves odd records behind."""
    server = start_hub(tmp_path_factory.mktemp("fuzzed-hub"))
    yield server
    server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("who", ["kiosk", "nobody", "staff"])
def test_no_operation_fails_with_a_server_error(fuzzed_hub: HubServer, who: str) -> None:
    hub = fuzzed_hub
    schema = schemathesis.openapi.from_url(f"{hub.url}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # the whole API and the staff pages, not an empty document
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            response = case.call(headers=headers_for(hub, who), timeout=10)
            if response.status_code >= 500 and response.status_code != 501:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")
            elif case.path.startswith("/api/v1/"):
                # The kiosk API answers only as its document says, refusals included.
                try:
                    case.validate_response(response, checks=[response_schema_conformance])
                except Exception as exc:  # schemathesis reports a failure group
                    failures.append(f"{case.method} {case.formatted_path}: {response.status_code} does not match "
                                    f"the document: {str(exc)[:300]}")

        call()
    assert failures == [], "\n".join(failures[:20])
