"""'Send me the link': the handoff link by email or text, through a Notify-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.config import NotifySettings
from hub.notify import split_key, token
from kiosk.views.qr import QrCode
from tests.hubserver import HubServer, start_hub
from tests.notifyserver import FakeNotify, check_jwt, notify_server
from tests.resident import Kiosk, make_kiosk


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with notify_server() as server:
        yield server


@pytest.fixture
def notify_hub(tmp_path: Path, notify: FakeNotify) -> Iterator[HubServer]:
    server = start_hub(tmp_path / "hub", notify=NotifySettings(
        api_key=notify.api_key, email_template_id="email-template", sms_template_id="sms-template",
        base_url=notify.url, timeout_seconds=5))
    yield server
    server.stop()


@pytest.fixture
def kiosk_at_handoff(qtbot, qasync_loop, notify_hub: HubServer, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    k = make_kiosk(qtbot, notify_hub, tmp_path / "kiosk")
    k.start("missed-bin")
    k.find_address("address", "TS18 1AU")
    k.wait_heading("Which bin was missed?")
    k.tap("handoff")
    k.wait_page("handoff_page")
    yield k
    k.close()


def send(k: Kiosk, to: str) -> str:
    k.type("input_send_to", to)
    k.tap("send_link")
    k.qtbot.waitUntil(lambda: k.label_text("send_link_status") not in ("", "Sending…"), timeout=8000)
    return k.label_text("send_link_status")


def test_link_by_email_then_by_text(kiosk_at_handoff: Kiosk, notify: FakeNotify, notify_hub: HubServer) -> None:
    k = kiosk_at_handoff
    qr = k.page.findChild(QrCode, "qr_code")
    assert qr is not None
    assert send(k, "resident@example.com") == "Sent. Check your email."
    kind, body = notify.sent[-1]
    assert kind == "email" and body["email_address"] == "resident@example.com"
    assert body["template_id"] == "email-template"
    assert body["personalisation"] == {"link": qr.data, "code": k.label_text("handoff_code")}
    assert send(k, "07700 900 982") == "Sent. Check your text messages."
    kind, body = notify.sent[-1]
    assert kind == "sms" and body["phone_number"] == "07700900982" and body["template_id"] == "sms-template"
    # Neither the address nor the number was kept at the hub.
    raw = notify_hub.stored_bytes()
    assert b"resident@example.com" not in raw and b"07700900982" not in raw


def test_refusals_are_explained(kiosk_at_handoff: Kiosk, notify: FakeNotify) -> None:
    k = kiosk_at_handoff
    assert send(k, "01642 526 000") == "Enter a mobile number, like 07700 900 982, or an email address"
    assert send(k, "not-an-email@") == "Enter an email address in the correct format, like name@example.com"
    assert send(k, "refused@example.com") == (
        "The message service refused it: Can't send to this recipient using a team-only API key")
    assert notify.sent == []


def test_jwt_is_what_notify_expects() -> None:
    fake = FakeNotify()
    assert split_key(fake.api_key) == (fake.service_id, fake.secret)
    assert check_jwt(fake, f"Bearer {token(fake.api_key)}") is None
    assert check_jwt(fake, f"Bearer {token(fake.api_key, now=0)}") is not None  # clock far out
    wrong = FakeNotify()
    assert check_jwt(fake, f"Bearer {token(wrong.api_key)}") is not None
