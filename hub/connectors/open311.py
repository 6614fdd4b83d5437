"""Open311 GeoReport v2 client: POST /requests.json, form-encoded, as FixMyStreet's
open311-adapter and most UK council integrations expect.

Written for servers as they are in the wild: many place a case only by ``lat``/``long``, read
only the ``description`` (``attribute[...]`` is often dropped), and answer errors in shapes
other than the spec's array. A reply lost to a timeout may still have made the case, so before
posting again the connector looks for it (GET /requests.json, matching the kiosk reference)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from hub.config import Open311Settings
from hub.connectors.base import Outgoing, PermanentRelayError, TransientRelayError
from hub.connectors.replies import refuse_unless_ok, sent_uncertain
from kiosk.workflows.engine import format_address
from kiosk.workflows.model import StepType


def build_form(case: Outgoing, settings: Open311Settings) -> dict[str, str]:
    submit = case.journey.submit
    if submit is None or submit.open311 is None:
        raise PermanentRelayError(f"journey {case.journey.id} has no Open311 mapping")
    mapping = submit.open311
    form: dict[str, str] = {"service_code": mapping.service_code}
    if settings.api_key:
        form["api_key"] = settings.api_key
    if settings.jurisdiction_id:
        form["jurisdiction_id"] = settings.jurisdiction_id
    location = case.location or {}
    if location.get("lat") is not None and location.get("long") is not None:
        form["lat"], form["long"] = f"{location['lat']:.6f}", f"{location['long']:.6f}"
    for step in case.journey.steps:
        value = case.answers.get(step.id)
        if value in (None, ""):
            continue
        if step.type == StepType.ADDRESS and "address_string" not in form:
            form["address_string"] = format_address(value)
            if value.get("uprn"):
                form["address_id"] = str(value["uprn"])
        elif step.type == StepType.EMAIL and "email" not in form:
            form["email"] = str(value)
        elif step.type == StepType.PHONE and "phone" not in form:
            form["phone"] = str(value)
    name = str(case.answers.get(mapping.name_from) or "").split() if mapping.name_from else []
    if name:
        form["first_name"] = " ".join(name[:-1]) or name[0]
        if len(name) > 1:
            form["last_name"] = name[-1]
    for code, answer_id in mapping.attributes.items():
        value = case.answers.get(answer_id)
        if value is not None:
            form[f"attribute[{code}]"] = ",".join(value) if isinstance(value, list) else str(value)
    form["description"] = describe(case, mapping.description_from)
    return form


def describe(case: Outgoing, answer_ids: list[str]) -> str:
    """A plain-text summary the back office can act on: the kiosk reference first (it is how a
    retried post finds a case already made), then one "Label: answer" line per answer."""
    shown = {row["question"]: row["answer"] for row in case.summary}
    lines = [f"Kiosk reference {case.reference}"]
    for answer_id in answer_ids:
        step = case.journey.step(answer_id)
        label = step.summary_label or step.question
        if case.answers.get(answer_id) not in (None, "", []) and label in shown:
            lines.append(f"{label}: {shown[label]}")
    return "\n".join(lines)[:4000]


def parse_reply(response: httpx.Response) -> str:
    """The service_request_id (or token) from a 2xx reply; errors raise."""
    refuse_unless_ok(response)
    status = response.status_code
    try:
        body: Any = response.json()
    except ValueError:
        raise TransientRelayError(f"HTTP {status}: the reply is not JSON", uncertain=True) from None
    if not isinstance(body, list) or not body or not isinstance(body[0], dict):
        raise TransientRelayError("the reply is not a list of service requests", uncertain=True)
    first = body[0]
    for key in ("service_request_id", "token"):
        if first.get(key) not in (None, ""):
            return str(first[key])
    raise TransientRelayError("the reply has neither service_request_id nor token", uncertain=True)


class Open311Connector:
    name = "open311"

    def __init__(self, settings: Open311Settings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client

    def _url(self, path: str) -> str:
        return self._settings.endpoint.rstrip("/") + path

    async def send(self, case: Outgoing) -> str:
        form = build_form(case, self._settings)
        if case.maybe_sent:
            found = await self.find(case, form["service_code"])
            if found:
                return found
        try:
            response = await self._client.post(self._url("/requests.json"), data=form,
                                               timeout=self._settings.timeout_seconds)
        except httpx.HTTPError as exc:
            raise TransientRelayError(f"{type(exc).__name__}: {exc or 'no reply'}",
                                      uncertain=sent_uncertain(exc)) from None
        return parse_reply(response)

    async def find(self, case: Outgoing, service_code: str) -> str:
        """The id of a request already made for this case (an earlier post whose reply was lost),
        or "" when the back office has none. A search that fails raises: posting blind could
        make the case twice."""
        since = case.received_at - dt.timedelta(minutes=10)
        params = {"service_code": service_code, "start_date": f"{since:%Y-%m-%dT%H:%M:%SZ}",
                  "end_date": f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"}
        if self._settings.jurisdiction_id:
            params["jurisdiction_id"] = self._settings.jurisdiction_id
        try:
            response = await self._client.get(self._url("/requests.json"), params=params,
                                              timeout=self._settings.timeout_seconds)
            body: Any = response.json()
        except (httpx.HTTPError, ValueError):
            raise TransientRelayError("an earlier post may have reached the back office, and looking for it "
                                      "failed: trying again later", uncertain=True) from None
        if response.status_code != 200 or not isinstance(body, list):
            raise TransientRelayError(f"looking for an earlier post failed (HTTP {response.status_code}): "
                                      "trying again later", uncertain=True)
        marker = f"Kiosk reference {case.reference}"
        for item in body:
            if isinstance(item, dict) and marker in str(item.get("description") or ""):
                return str(item.get("service_request_id") or item.get("token") or "")
        return ""

    async def status(self, external_id: str) -> tuple[str, str]:
        """(status, status_notes) from GET /requests/{id}.json. Errors raise TransientRelayError."""
        params = {"jurisdiction_id": self._settings.jurisdiction_id} if self._settings.jurisdiction_id else {}
        try:
            response = await self._client.get(self._url(f"/requests/{external_id}.json"), params=params,
                                              timeout=min(self._settings.timeout_seconds, 5))
            body: Any = response.json()
        except (httpx.HTTPError, ValueError):
            raise TransientRelayError("back office status not available") from None
        if response.status_code != 200 or not isinstance(body, list) or not body or not isinstance(body[0], dict):
            raise TransientRelayError(f"back office status reply not usable (HTTP {response.status_code})")
        status = str(body[0].get("status", "")).lower()
        notes = str(body[0].get("status_notes") or "")[:300]
        if status not in ("open", "closed"):
            raise TransientRelayError(f"unknown status {status!r}")
        return status, notes
