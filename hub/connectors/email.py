"""A service mailbox: the case as a plain-text email over SMTP with STARTTLS (the standard
library's smtplib, on a worker thread). The Message-ID is made from the kiosk reference, so a
mailbox or its rules can spot the same case sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime

from hub.config import EmailSettings
from hub.connectors.base import Outgoing, PermanentRelayError, TransientRelayError
from kiosk.workflows.engine import format_address
from kiosk.workflows.model import StepType


def compose(case: Outgoing, settings: EmailSettings) -> EmailMessage:
    submit = case.journey.submit
    if submit is None or submit.email is None:
        raise PermanentRelayError(f"journey {case.journey.id} has no [submit.email] mailbox")
    message = EmailMessage()
    message["From"] = settings.from_address
    message["To"] = ", ".join(submit.email.to)
    message["Subject"] = f"{case.journey.title}: {case.reference}"
    # The same on every try (make_msgid adds a time and a random part): a mailbox or its rules
    # can see the same case arrive twice.
    domain = settings.from_address.rsplit("@", 1)[1]
    message["Message-ID"] = f"<kiosk-case-{case.reference.replace('-', '')}@{domain}>"
    message["Date"] = format_datetime(case.received_at.replace(tzinfo=dt.UTC))
    reply_to = next((str(case.answers[s.id]) for s in case.journey.steps
                     if s.type == StepType.EMAIL and case.answers.get(s.id)), "")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body(case))
    return message


def body(case: Outgoing) -> str:
    lines = [case.journey.title, "", f"Kiosk reference: {case.reference}",
             f"Received: {case.received_at:%d %B %Y %H:%M} UTC",
             f"From: kiosk {case.kiosk_id} at {case.site} ({case.channel})", ""]
    lines += [f"{row['question']}: {row['answer']}" for row in case.summary]
    location = case.location or {}
    if location.get("uprn"):
        where = f"UPRN {location['uprn']}"
        if location.get("lat") is not None:
            where += f", latitude {location['lat']:.6f}, longitude {location['long']:.6f}"
        lines += ["", f"Location: {where}"]
    addresses = [format_address(case.answers[s.id]) for s in case.journey.steps
                 if s.type == StepType.ADDRESS and isinstance(case.answers.get(s.id), dict)]
    if addresses and not any(row["answer"] == addresses[0] for row in case.summary):
        lines.append(f"Address: {addresses[0]}")
    return "\n".join(lines) + "\n"


class EmailConnector:
    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self._settings = settings

    async def send(self, case: Outgoing) -> str:
        message = compose(case, self._settings)
        await asyncio.to_thread(self._deliver, message)
        return str(message["Message-ID"]).strip("<>")[:64]

    def _deliver(self, message: EmailMessage) -> None:
        s = self._settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds) as smtp:
                smtp.ehlo()
                if s.starttls:
                    if not smtp.has_extn("starttls"):
                        raise PermanentRelayError(f"{s.host} does not offer STARTTLS, and it is required")
                    context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password)
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentRelayError("the mail server refused the sign-in: "
                                      f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {code for code, _ in exc.recipients.values()}
            reason = "; ".join(f"{to}: {code} {_text(msg)}" for to, (code, msg) in exc.recipients.items())
            if all(code >= 500 for code in codes):
                raise PermanentRelayError(f"the mail server refused the mailbox: {reason}") from None
            raise TransientRelayError(f"the mail server deferred the mailbox: {reason}") from None
        except smtplib.SMTPResponseException as exc:
            reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if exc.smtp_code >= 500:
                raise PermanentRelayError(f"the mail server refused the message: {reason}") from None
            raise TransientRelayError(f"the mail server deferred the message: {reason}") from None
        except ssl.SSLError as exc:
            raise PermanentRelayError(f"the mail server's certificate is not trusted: {exc.reason}") from None
        except (OSError, smtplib.SMTPException) as exc:
            # A connection lost after the message was handed over may still deliver it.
            raise TransientRelayError(f"{type(exc).__name__}: {exc}", uncertain=True) from None


def _text(raw: bytes | str) -> str:
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw)[:200]
