"""Kiosk settings from one TOML file. Any problem names the file, the key and what is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from kiosk.workflows.opening_hours import WEEKDAYS
from kiosk.workflows.structs import Meta, Problem, Strict, check


class Branding(Strict):
    council_name: Annotated[str, Meta(min_length=1, max_length=60)] = "Demo Borough Council"
    #: SVG logo, shown in the top bar; empty for the council's name only.
    logo: Path | None = None
    #: Top bar colour; checked for contrast against white text before use.
    header_colour: Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}$")] = "#0b0c0c"
    contact_phone: str = ""
    contact_web: str = ""
    counter_directions: str = "Please ask at the customer service counter."


class Screen(Strict):
    """Physical size, so type can be sized for the viewing distance (EN 301 549 5.1.4)."""

    diagonal_inches: Annotated[float, Meta(gt=7, lt=100)] = 24.0
    viewing_distance_mm: Annotated[int, Meta(ge=300, le=1500)] = 600


class HubLink(Strict):
    url: Annotated[str, Meta(pattern=r"^https?://")]
    #: Where phones reach the hub (QR codes); defaults to url.
    public_url: Annotated[str, Meta(pattern=r"^https?://")] | None = None
    device_token_file: Path
    connect_timeout_seconds: Annotated[float, Meta(gt=0, le=30)] = 3.0
    read_timeout_seconds: Annotated[float, Meta(gt=0, le=60)] = 8.0


class OutboxSettings(Strict):
    #: Fernet key (urlsafe base64, 32 bytes) encrypting queued submissions on disk.
    key: Annotated[str, Meta(min_length=44, max_length=44)]
    first_retry_seconds: Annotated[float, Meta(gt=0)] = 5.0
    max_retry_seconds: Annotated[float, Meta(gt=0)] = 300.0

    def __post_init__(self) -> None:
        import base64
        import binascii

        try:
            raw = base64.urlsafe_b64decode(self.key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError("key: must be a urlsafe base64 key, as printed by `hub new-key`") from None
        if len(raw) != 32:
            raise ValueError("key: must decode to 32 bytes, as printed by `hub new-key`")


class Timeouts(Strict):
    """Idle time before the "Do you need more time?" warning (WCAG 2.2.1), per kind of screen."""

    question_seconds: Annotated[int, Meta(ge=30, le=1800)] = 120
    confirmation_seconds: Annotated[int, Meta(ge=10, le=600)] = 30
    #: How long the warning gives to answer: WCAG asks for at least 20 seconds.
    warning_seconds: Annotated[int, Meta(ge=20, le=300)] = 30


class Maintenance(Strict):
    """Leaving the app needs this PIN. Hold the council's name in the top bar to ask for it."""

    #: argon2 hash of the PIN, e.g. from `python -m kiosk hash-pin`.
    pin_hash: str
    max_tries: Annotated[int, Meta(ge=1, le=20)] = 5
    lockout_seconds: Annotated[int, Meta(ge=30, le=86400)] = 300
    hold_seconds: Annotated[float, Meta(ge=1, le=10)] = 3.0

    def __post_init__(self) -> None:
        from argon2.exceptions import InvalidHashError
        from argon2.low_level import Type

        try:
            from argon2 import extract_parameters

            params = extract_parameters(self.pin_hash)
        except (InvalidHashError, ValueError):
            raise ValueError("pin_hash: is not an argon2 hash; make one with `python -m kiosk hash-pin`") from None
        if params.type != Type.ID:
            raise ValueError("pin_hash: must be an argon2id hash; make one with `python -m kiosk hash-pin`")


_HOURS = r"^(closed|([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])$"
Hours = Annotated[str, Meta(pattern=_HOURS)]


class OpeningHours(Strict):
    """When the kiosk is open, per weekday: "09:00-17:00" or "closed". Default: always open."""

    monday: Hours = "00:00-23:59"
    tuesday: Hours = "00:00-23:59"
    wednesday: Hours = "00:00-23:59"
    thursday: Hours = "00:00-23:59"
    friday: Hours = "00:00-23:59"
    saturday: Hours = "00:00-23:59"
    sunday: Hours = "00:00-23:59"

    def today(self, weekday: int) -> str:
        return str(getattr(self, WEEKDAYS[weekday]))




class Attract(Strict):
    #: Messages rotating on the attract screen (opening hours, "Do it online" promotions...).
    messages: list[Annotated[str, Meta(min_length=1, max_length=200)]] = []
    rotate_seconds: Annotated[float, Meta(ge=2, le=120)] = 8.0


class Service(Strict):
    #: How often to check the hub when nothing else has talked to it.
    health_check_seconds: Annotated[float, Meta(ge=5, le=600)] = 30.0
    #: After this long without the hub, say so on the home screen.
    out_of_service_after_seconds: Annotated[float, Meta(ge=10, le=86400)] = 120.0


class Taster(Strict):
    #: How often to ask the hub for bookings due and for staff requests (more time, end now).
    poll_seconds: Annotated[float, Meta(ge=1, le=600)] = 30.0


class KioskSettings(Strict):
    kiosk_id: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
    site: Annotated[str, Meta(min_length=1, max_length=64)]
    state_dir: Path
    journeys_dir: Path
    places_file: Path | None = None
    #: Translations (config/i18n): one folder per language; none: English only.
    languages_dir: Path | None = None
    #: ICT taster lessons (library terminals); none: the taster feature is off.
    lessons_dir: Path | None = None
    touch_only: bool = False
    #: QtTextToSpeech engine for built-in speech: "speechd" on a kiosk ("mock" speaks nothing).
    speech_engine: str = "speechd"
    hub: HubLink
    outbox: OutboxSettings
    branding: Branding = Branding()
    screen: Screen = Screen()
    timeouts: Timeouts = Timeouts()
    maintenance: Maintenance | None = None
    opening_hours: OpeningHours = OpeningHours()
    attract: Attract = Attract()
    service: Service = Service()
    taster: Taster = Taster()


class ConfigError(Exception):
    pass


_PATH_KEYS = {("state_dir",), ("journeys_dir",), ("places_file",), ("lessons_dir",), ("languages_dir",),
              ("hub", "device_token_file"), ("branding", "logo")}


def load_settings(path: Path) -> KioskSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    for keys in _PATH_KEYS:  # relative paths are relative to the config file
        holder = data
        for key in keys[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None  # type: ignore[assignment]
        if isinstance(holder, dict) and isinstance(holder.get(keys[-1]), str):
            p = Path(holder[keys[-1]])
            holder[keys[-1]] = str(p if p.is_absolute() else (path.parent / p).resolve())
    try:
        return check(data, KioskSettings)
    except Problem as found:
        raise ConfigError(f"{path}: {found}") from None


def read_token(settings: KioskSettings) -> str:
    try:
        token = settings.hub.device_token_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            f"hub.device_token_file: cannot read {settings.hub.device_token_file}: {exc.strerror}"
        ) from None
    if not token:
        raise ConfigError(f"hub.device_token_file: {settings.hub.device_token_file} is empty")
    return token
