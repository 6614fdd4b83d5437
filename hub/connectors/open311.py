"""Open311 GeoReport v2 client: POST /requests.json, form-encoded, as FixMyStreet's
open311-adapter and most UK council integrations expect."""

from __future__ import annotations

from typing import Any

import httpx

from hub.config import Open311Settings
from hub.connectors.base import Outgoing, PermanentRelayError, TransientRelayError
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
    for step in case.journey.steps:
        value = case.answers.get(step.id)
        if value is None:
            continue
        if step.type == StepType.ADDRESS and "address_string" not in form:
            form["address_string"] = format_address(value)
            if value.get("uprn"):
                form["address_id"] = value["uprn"]
        elif step.type == StepType.EMAIL and "email" not in form:
            form["email"] = value
        elif step.type == StepType.PHONE and "phone" not in form:
            form["phone"] = value
    for code, answer_id in mapping.attributes.items():
        value = case.answers.get(answer_id)
        if value is not None:
            form[f"attribute[{code}]"] = ",".join(value) if isinstance(value, list) else str(value)
    labels = {row["question"]: row["answer"] for row in case.summary}
    parts = []
    for answer_id in mapping.description_from:
        step = case.journey.step(answer_id)
        label = step.summary_label or step.question
        if case.answers.get(answer_id) is not None and label in labels:
            parts.append(f"{label}: {labels[label]}")
    form["description"] = (f"Kiosk reference {case.reference}. " + ". ".join(parts))[:4000]
    return form


def parse_reply(response: httpx.Response) -> str:
    """The service_request_id (or token) from a 2xx reply; errors raise."""
    try:
        body: Any = response.json()
    except ValueError:
        raise TransientRelayError(f"HTTP {response.status_code}: reply is not JSON") from None
    if response.status_code >= 500:
        raise TransientRelayError(f"HTTP {response.status_code}: {_errors(body)}")
    if response.status_code >= 400:
        raise PermanentRelayError(f"HTTP {response.status_code}: {_errors(body)}")
    if not isinstance(body, list) or not body or not isinstance(body[0], dict):
        raise TransientRelayError("reply is not a list of service requests")
    first = body[0]
    for key in ("service_request_id", "token"):
        if first.get(key) not in (None, ""):
            return str(first[key])
    raise TransientRelayError("reply has neither service_request_id nor token")


def _errors(body: Any) -> str:
    if isinstance(body, list):
        found = [f"{e.get('code', '?')} {e.get('description', '')}".strip() for e in body if isinstance(e, dict)]
        if found:
            return "; ".join(found)
    return "no error description"


class Open311Connector:
    name = "open311"

    def __init__(self, settings: Open311Settings, client: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client

    async def send(self, case: Outgoing) -> str:
        form = build_form(case, self._settings)
        url = self._settings.endpoint.rstrip("/") + "/requests.json"
        try:
            response = await self._client.post(url, data=form, timeout=self._settings.timeout_seconds)
        except httpx.HTTPError as exc:
            raise TransientRelayError(f"{type(exc).__name__}: {exc}") from None
        return parse_reply(response)

    async def status(self, external_id: str) -> tuple[str, str]:
        """(status, status_notes) from GET /requests/{id}.json. Errors raise TransientRelayError."""
        url = f"{self._settings.endpoint.rstrip('/')}/requests/{external_id}.json"
        params = {"jurisdiction_id": self._settings.jurisdiction_id} if self._settings.jurisdiction_id else {}
        try:
            response = await self._client.get(url, params=params, timeout=min(self._settings.timeout_seconds, 5))
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
