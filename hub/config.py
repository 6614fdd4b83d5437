"""Hub settings, read from one TOML file. Errors name the file, the key and the problem."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Open311Settings(Strict):
    endpoint: Annotated[str, Field(pattern=r"^https?://")]
    api_key: str = ""
    jurisdiction_id: str = ""
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    #: Tracking asks the back office for a case's status at most this often (page views in
    #: between show what was stored).
    status_refresh_minutes: Annotated[float, Field(ge=0, le=1440)] = 5.0
    #: Show the back office's status notes on the public tracking page. Off by default: notes
    #: are written for staff and can carry names, addresses and phone numbers.
    show_status_notes: bool = False


class EmailSettings(Strict):
    """A service mailbox over SMTP: the commonest back office for low-volume forms."""

    host: Annotated[str, Field(min_length=1)]
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    username: str = ""
    password: str = ""
    from_address: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]
    #: STARTTLS is required unless switched off (only for a relay on the same machine).
    starttls: bool = True
    #: A CA bundle to trust for the mail server's certificate (a council's own CA); default: the system's.
    ca_file: Path | None = None
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 20.0


class WebhookSettings(Strict):
    """JSON to a council's integration platform, signed so it knows the hub sent it."""

    url: Annotated[str, Field(pattern=r"^https?://")]
    #: Shared secret for the HMAC-SHA256 signature (at least 32 characters).
    secret: Annotated[str, Field(min_length=32)]
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0

    @field_validator("url")
    @classmethod
    def _https_unless_local(cls, value: str) -> str:
        host = value.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
        if value.startswith("http://") and host not in ("127.0.0.1", "localhost", "[::1]"):
            raise ValueError("cases carry residents' answers: the webhook must use https:// "
                             "(http only on this machine)")
        return value


class RelaySettings(Strict):
    poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 5.0
    first_retry_seconds: Annotated[float, Field(gt=0)] = 10.0
    max_retry_seconds: Annotated[float, Field(gt=0)] = 1800.0
    #: Staff pages and /health raise an alert for cases still not passed on after this long.
    alert_after_minutes: Annotated[float, Field(gt=0)] = 60.0


Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


class BulkyWasteSettings(Strict):
    days: list[Weekday] = ["Tuesday", "Thursday"]
    lead_days: Annotated[int, Field(ge=0, le=60)] = 3
    count: Annotated[int, Field(ge=1, le=20)] = 6


class InsightSettings(Strict):
    #: Raw events are deleted after this many days; the daily counts stay.
    raw_retention_days: Annotated[int, Field(ge=1, le=3650)] = 90
    #: Counts below this are shown as "fewer than N", so nobody can be singled out.
    min_count: Annotated[int, Field(ge=1, le=100)] = 5
    #: Unit costs per contact, in pounds (defaults from the review that asked for the kiosk).
    cost_face_to_face: Annotated[float, Field(ge=0)] = 8.62
    cost_telephone: Annotated[float, Field(ge=0)] = 2.83
    cost_web: Annotated[float, Field(ge=0)] = 0.15


class NotifySettings(Strict):
    """GOV.UK Notify, for "send me the link". Templates get ((link)) and ((code))."""

    api_key: Annotated[str, Field(min_length=74)]
    email_template_id: str = ""
    sms_template_id: str = ""
    base_url: Annotated[str, Field(pattern=r"^https?://")] = "https://api.notifications.service.gov.uk"
    timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 10.0


class HandoffSettings(Strict):
    #: How long a "finish on my phone" link and code stay valid.
    valid_hours: Annotated[int, Field(ge=1, le=720)] = 72
    #: Short-code tries allowed per client, and in all, per 10 minutes.
    code_tries_per_client: Annotated[int, Field(ge=1, le=1000)] = 10


class TasterSettings(Strict):
    """Library ICT taster sessions: what the certificate suggests next, and how long it lasts."""

    next_steps: list[Annotated[str, Field(min_length=1, max_length=300)]] = [
        "Ask library staff about the free digital skills courses: there is one every week.",
        "Set up the council's online account, to report, apply and pay from home.",
        "Use the library computers for free: bring your library card.",
    ]
    certificate_days: Annotated[int, Field(ge=1, le=3650)] = 365


class HubSettings(Strict):
    council_name: str = "Demo Borough Council"
    database_url: str = "sqlite:///hub.sqlite3"
    #: Fernet key (urlsafe base64, 32 bytes) that encrypts residents' answers at rest.
    data_key: Annotated[str, Field(min_length=44, max_length=44)]
    #: Keys data was sealed with before ``data_key`` (rotation): still opened, never sealed with;
    #: ``hub rotate-data-key`` re-seals everything with ``data_key``, then they can go.
    previous_data_keys: list[Annotated[str, Field(min_length=44, max_length=44)]] = []
    journeys_dir: Path = Path("config/journeys")
    lessons_dir: Path = Path("config/lessons")
    #: Translations (the kiosk's config/i18n): phone pages continue in the kiosk's language.
    languages_dir: Path = Path("config/i18n")
    #: Local time for staff pages and bookings.
    timezone: str = "Europe/London"
    #: Address the kiosks' QR codes point at (the hub as a phone would reach it).
    public_url: str = "http://127.0.0.1:8700"
    open311: Open311Settings | None = None
    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None
    relay: RelaySettings = RelaySettings()
    bulky_waste: BulkyWasteSettings = BulkyWasteSettings()
    insight: InsightSettings = InsightSettings()
    handoff: HandoffSettings = HandoffSettings()
    notify: NotifySettings | None = None
    taster: TasterSettings = TasterSettings()
    #: How often the live parts of staff pages (help requests, the library's terminals) update
    #: themselves, without reloading the page over anything being typed.
    staff_refresh_seconds: Annotated[int, Field(ge=5, le=300)] = 10

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use a name like Europe/London") from None
        return value


class SettingsError(Exception):
    pass


def load_settings(path: Path) -> HubSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    base = path.parent
    for key in ("journeys_dir", "lessons_dir", "languages_dir"):
        if isinstance(data.get(key), str) and not Path(data[key]).is_absolute():
            data[key] = str((base / data[key]).resolve())
    url = data.get("database_url")
    if isinstance(url, str) and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        data["database_url"] = "sqlite:///" + str((base / url.removeprefix("sqlite:///")).resolve())
    try:
        return HubSettings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(describe_error(path, exc)) from None


def describe_error(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    msg = "unknown key" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
    return f"{path}: {key}: {msg}"
