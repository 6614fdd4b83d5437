"""The email and webhook connectors, each against a real server on loopback: an SMTP server
that requires STARTTLS (aiosmtpd, with a certificate made for the test), and a receiver that
checks the HMAC signature as a council's integration platform would."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import shutil
import ssl
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hub.config import EmailSettings, WebhookSettings
from kiosk.workflows.references import new_reference
from tests.hubserver import HubServer, free_port, start_hub
from tests.loopback import QuietHandler, serve

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-shared-secret-of-at-least-32-characters"


def journeys_with(tmp: Path, connector: str, extra: str = "") -> Path:
    journeys = tmp / "journeys"
    shutil.copytree(ROOT / "config" / "journeys", journeys)
    path = journeys / "missed-bin.toml"
    text = path.read_text().replace('connector = "inbox"', f'connector = "{connector}"')
    path.write_text(text.replace("[submit.open311]", f"{extra}\n[submit.open311]"))
    return journeys


def submit(hub: HubServer) -> str:
    reference = new_reference()
    body = {"reference": reference, "journey_id": "missed-bin", "journey_version": 1, "channel": "self-service",
            "submitted_at": dt.datetime.now(dt.UTC).isoformat(),
            "answers": {"address": {"mode": "select", "postcode": "TS18 1AU", "uprn": "900000000001",
                                    "line1": "1 High Street", "line2": "", "town": "Stockton-on-Tees"},
                        "bin_type": "general", "email": "resident@example.com"},
            "summary": [{"question": "Address", "answer": "1 High Street, Stockton-on-Tees, TS18 1AU"},
                        {"question": "Bin", "answer": "General waste (grey bin)"},
                        {"question": "Email", "answer": "resident@example.com"}]}
    r = httpx.post(f"{hub.url}/api/v1/submissions", json=body,
                   headers={"Authorization": f"Bearer {hub.token}", "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    return reference


# ---- email ---------------------------------------------------------------------------------

def certificate(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, signed by itself: the hub is told to trust it (ca_file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp / "mail.pem", tmp / "mail.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class Mailbox:
    messages: list[tuple[Envelope, bool]] = field(default_factory=list)
    #: Answer DATA with this instead of 250 (a full mailbox, a deferral).
    answer: str = "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.answer.startswith("250"):
            self.messages.append((envelope, session.ssl is not None))
        return self.answer


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[tuple[Mailbox, EmailSettings]]:
    cert_file, key_file = certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    settings = EmailSettings(host="127.0.0.1", port=port, from_address="kiosks@council.example",
                             ca_file=cert_file, timeout_seconds=5)
    yield mailbox, settings
    controller.stop()


def test_a_case_reaches_the_service_mailbox_over_starttls(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         mail_server: tuple[Mailbox, EmailSettings], qtbot) -> None:
    mailbox, settings = mail_server
    journeys = journeys_with(tmp_path, "email", '[submit.email]\nto = ["waste@council.example"]')
    hub = start_hub(tmp_path / "hub", journeys_dir=journeys, email=settings)
    try:
        reference = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(reference)) is not None and c.relay_state == "sent", timeout=10000)
    finally:
        hub.stop()
    ((envelope, encrypted),) = mailbox.messages
    assert encrypted  # STARTTLS, checked against the certificate the hub was told to trust
    assert envelope.rcpt_tos == ["waste@council.example"]
    message = message_from_bytes(envelope.original_content or b"")
    assert message["Subject"] == f"Report a missed bin: {reference}"
    assert message["Reply-To"] == "resident@example.com"
    # The same on a second try: made from the reference alone.
    assert message["Message-ID"] == f"<kiosk-case-{reference.replace('-', '')}@council.example>"
    text = message.get_payload(decode=True).decode()
    assert f"Kiosk reference: {reference}" in text and "Bin: General waste (grey bin)" in text
    assert "Location: UPRN 900000000001, latitude 54.563452, longitude -1.311594" in text


def test_a_refused_mailbox_fails_with_the_reason_and_a_deferral_retries(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        mail_server: tuple[Mailbox, EmailSettings],
                                                                        qtbot) -> None:
    mailbox, settings = mail_server
    journeys = journeys_with(tmp_path, "email", '[submit.email]\nto = ["waste@council.example"]')
    hub = start_hub(tmp_path / "hub", journeys_dir=journeys, email=settings)
    try:
        # Refused first, then deferred: a deferred case is retried whenever it is due, and must
        # never meet the refusal meant for the other.
        mailbox.answer = "550 5.2.2 Mailbox full"
        refused = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(refused)) is not None and c.relay_state == "failed", timeout=10000)
        case = hub.case(refused)
        assert case is not None and case.relay_error == "the mail server refused the message: 550 5.2.2 Mailbox full"
        mailbox.answer = "451 4.3.0 Mail server temporarily rejected message"
        deferred = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(deferred)) is not None and c.relay_attempts >= 1, timeout=10000)
        case = hub.case(deferred)
        assert case is not None and case.relay_state == "pending"
        assert "deferred the message: 451" in case.relay_error
        mailbox.answer = "250 OK"
        qtbot.waitUntil(lambda: (c := hub.case(deferred)) is not None and c.relay_state == "sent", timeout=10000)
    finally:
        hub.stop()
    assert len(mailbox.messages) == 1


def test_a_mail_server_without_a_trusted_certificate_is_refused(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               mail_server: tuple[Mailbox, EmailSettings],
                                                               qtbot) -> None:
    mailbox, settings = mail_server
    journeys = journeys_with(tmp_path, "email", '[submit.email]\nto = ["waste@council.example"]')
    hub = start_hub(tmp_path / "hub", journeys_dir=journeys, email=settings.model_copy(update={"ca_file": None}))
    try:
        reference = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(reference)) is not None and c.relay_state == "failed", timeout=10000)
        case = hub.case(reference)
        assert case is not None and "certificate is not trusted" in case.relay_error
    finally:
        hub.stop()
    assert mailbox.messages == []  # nothing was sent in the clear


# ---- webhook -------------------------------------------------------------------------------

@dataclass
class Receiver:
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """Checks the signature (and that it is recent) before taking the case, as a receiver must."""
    state = Receiver()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = self.read_body()
            parts = dict(p.split("=", 1) for p in self.headers.get("Kiosk-Signature", "").split(",") if "=" in p)
            expected = hmac.new(SECRET.encode(), f"{parts.get('t', '')}.".encode() + body, hashlib.sha256).hexdigest()
            fresh = abs(dt.datetime.now(dt.UTC).timestamp() - float(parts.get("t", "0"))) < 300
            if not (fresh and hmac.compare_digest(expected, parts.get("v1", ""))):
                return self.send_json(401, {"detail": "signature does not match"})
            with state.lock:
                state.received.append(json.loads(body))
                state.keys.append(self.headers.get("Idempotency-Key", ""))
                number = len(state.received)
            return self.send_json(201, {"id": f"W-{number}"})

    with serve(Handler) as url:
        state.url = url + "/cases"
        yield state


def test_a_case_reaches_the_integration_platform_signed(tmp_path: Path, receiver: Receiver,  # type: ignore[no-untyped-def]
                                                        qtbot) -> None:
    journeys = journeys_with(tmp_path, "webhook")
    hub = start_hub(tmp_path / "hub", journeys_dir=journeys, webhook=WebhookSettings(url=receiver.url, secret=SECRET))
    try:
        reference = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(reference)) is not None and c.relay_state == "sent", timeout=10000)
        case = hub.case(reference)
        assert case is not None and case.external_id == "W-1"
    finally:
        hub.stop()
    (got,) = receiver.received
    assert receiver.keys == [reference]
    assert got["reference"] == reference and got["journey"]["id"] == "missed-bin"
    assert got["answers"]["bin_type"] == "general" and got["site"] == "test-site"
    assert got["location"] == {"uprn": "900000000001", "lat": 54.563452, "long": -1.311594}


def test_a_wrong_secret_is_refused_and_the_case_waits_for_staff(tmp_path: Path, receiver: Receiver,  # type: ignore[no-untyped-def]
                                                                qtbot) -> None:
    journeys = journeys_with(tmp_path, "webhook")
    hub = start_hub(tmp_path / "hub", journeys_dir=journeys,
                    webhook=WebhookSettings(url=receiver.url, secret="x" * 40))
    try:
        reference = submit(hub)
        qtbot.waitUntil(lambda: (c := hub.case(reference)) is not None and c.relay_state == "failed", timeout=10000)
        case = hub.case(reference)
        assert case is not None and case.relay_error == "HTTP 401: signature does not match"
    finally:
        hub.stop()
    assert receiver.received == []


def test_a_webhook_must_be_https_unless_on_this_machine() -> None:
    with pytest.raises(ValueError, match="must use https://"):
        WebhookSettings(url="http://integration.council.example/cases", secret=SECRET)
    assert WebhookSettings(url="https://integration.council.example/cases", secret=SECRET)
