"""Every message between a kiosk and the hub, written once: the hub's routes take and return
these Structs (kiosk/workflows/structs.py), and the kiosk's client builds its requests from them and checks every reply
against them. The fixed codes (usage events, why a journey was left, staff actions) live here
too, so the kiosk cannot send a code the hub would refuse.

Requests forbid unknown fields (the hub refuses anything it did not ask for); replies ignore
them (a newer hub may add fields an older kiosk does not read).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from kiosk.workflows.structs import Meta, Reply, Request
from kiosk.workflows.taster import GROUP_MAX
from kiosk.workflows.validators import REFERENCE_PATTERN

Id = Annotated[str, Meta(pattern=r"^[a-z0-9_-]{1,64}$")]
#: A database id or a version: a positive number the hub's database can hold.
DbInt = Annotated[int, Meta(ge=0, le=2**31 - 1)]
StepId = Annotated[str, Meta(pattern=r"^[a-z0-9_]{0,64}$")]
Hex32 = Annotated[str, Meta(pattern=r"^[0-9a-f]{32}$")]
LessonId = Annotated[str, Meta(pattern=r"^[a-z0-9-]{1,64}$")]

# ---- fixed codes -------------------------------------------------------------------------
EventKind = Literal["session_started", "journey_started", "step_reached", "validation_error", "journey_left",
                    "submitted", "lookup_finished", "help_requested", "why_answer", "handoff_started",
                    "handoff_completed"]
WhyReason = Literal["no_internet", "no_device", "not_confident", "stuck_online", "prefer_person", "did_not_know",
                    "other"]
#: Why a journey ended unfinished.
LeftReason = Literal["timeout", "timeout_confirmed", "start_again", "handoff", "end_page", "maintenance",
                     "out_of_service", "officer_end", "other"]
ErrorKind = Literal["missing", "format", "range", "too_long", "incomplete", "not_real_date", "date_rule",
                    "not_offered"]
Channel = Literal["self-service", "assisted", "kiosk-to-phone"]
Setting = Literal["large_text", "largest_text", "high_contrast", "speech"]
AuditAction = Literal["joined", "went_to_step", "changed_answer", "paused_timer", "resumed_timer", "revealed_answer",
                      "started_handoff", "marked_assisted", "unmarked_assisted", "ended_session", "handed_back",
                      "pin_refused", "code_refused", "opened_taster", "extended_taster", "ended_taster"]

EVENT_KINDS: frozenset[str] = frozenset(get_args(EventKind))
LEFT_REASONS: frozenset[str] = frozenset(get_args(LeftReason))
AUDIT_ACTIONS: frozenset[str] = frozenset(get_args(AuditAction))


# ---- look-ups ------------------------------------------------------------------------------
class AddressSearch(Request):
    postcode: Annotated[str, Meta(max_length=16)]


class FoundAddress(Reply):
    uprn: str
    line1: str
    line2: str
    town: str
    postcode: str


class AddressList(Reply):
    postcode: str
    addresses: list[FoundAddress]


class Collection(Reply):
    bin: str
    day: str
    next: dt.date


class Collections(Reply):
    uprn: str
    address: str
    round: str = ""
    collections: list[Collection]


class Option(Reply):
    value: str
    label: str


class Options(Reply):
    options: list[Option]


class RequestStatus(Reply):
    reference: str
    title: str
    received_at: dt.datetime
    status: str
    status_text: str
    updates: list[str]


class Health(Reply):
    status: Literal["ok"]


# ---- submissions ---------------------------------------------------------------------------
class SummaryLine(Request):
    question: Annotated[str, Meta(max_length=300)]
    answer: Annotated[str, Meta(max_length=5000)]


class SubmissionIn(Request):
    reference: Annotated[str, Meta(pattern=REFERENCE_PATTERN)]
    journey_id: Annotated[str, Meta(max_length=64)]
    journey_version: DbInt
    channel: Channel = "self-service"
    submitted_at: dt.datetime
    answers: Annotated[dict[str, Any], Meta(max_length=200)]
    summary: Annotated[list[SummaryLine], Meta(max_length=200)]
    #: Assisted submissions: the officer's staff id and the steps the officer answered.
    officer_id: DbInt | None = None
    officer_entered: Annotated[list[Annotated[str, Meta(pattern=r"^[a-z0-9_]{1,64}$")]], Meta(max_length=100)] = []


class SubmissionOut(Reply):
    reference: str
    status: str
    replayed: bool


# ---- finish on my phone --------------------------------------------------------------------
class HandoffIn(Request):
    journey_id: Annotated[str, Meta(max_length=64)]
    #: The version of the journey the kiosk was asking (kiosks before 0.2 send none: the hub's).
    journey_version: DbInt | None = None
    answers: Annotated[dict[str, Any], Meta(max_length=200)]
    history: Annotated[list[Annotated[str, Meta(max_length=64)]], Meta(min_length=1, max_length=200)]
    changing: bool = False
    dynamic: Annotated[dict[str, Annotated[list[tuple[Annotated[str, Meta(max_length=200)],
                                                        Annotated[str, Meta(max_length=300)]]],
                                             Meta(max_length=100)]], Meta(max_length=20)] = {}
    #: The kiosk's language code; the phone pages use it when the hub has that language.
    language: Annotated[str, Meta(pattern=r"^[a-z]{2,3}$")] = "en"
    #: What was typed or chosen on the current page and not yet sent with Continue: the phone
    #: shows it in the same boxes, so nothing typed is lost on the way.
    draft: (Annotated[str, Meta(max_length=5000)] | Annotated[dict[str, Any], Meta(max_length=10)]
            | Annotated[list[Annotated[str, Meta(max_length=200)]], Meta(max_length=100)] | None) = None


class HandoffProgress(Reply):
    """Where a journey sent to a phone has got to, for the kiosk showing its QR code:
    ``waiting`` (nobody has taken it), ``on_phone`` (a phone took it), ``finished`` (sent from
    the phone), ``expired``."""

    state: Literal["waiting", "on_phone", "finished", "expired"]


class HandoffOut(Reply):
    id: str
    url: str
    code: str
    typed_address: str
    expires_at: dt.datetime


class SendLinkIn(Request):
    #: An email address or a UK mobile number. Used for this one message; never stored.
    to: Annotated[str, Meta(max_length=254)]
    #: The link's token and the short code, which the hub keeps only as hashes.
    token: Annotated[str, Meta(max_length=64)]
    code: Annotated[str, Meta(max_length=12)]


class SendLinkOut(Reply):
    sent_by: Literal["email", "sms"]


# ---- usage events --------------------------------------------------------------------------
class EventIn(Request):
    """One usage event. Every field is an id, a code from a fixed list, or a number."""

    id: Hex32
    kind: EventKind
    session: Hex32
    at: dt.datetime
    journey: Id | None = None
    step: Id | None = None
    part: Annotated[str, Meta(pattern=r"^[a-z0-9_]{0,20}$")] | None = None
    error_kind: ErrorKind | None = None
    reason: WhyReason | LeftReason | None = None
    channel: Channel | None = None
    language: Annotated[str, Meta(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")] | None = None
    settings: list[Setting] | None = None
    duration_s: Annotated[int, Meta(ge=0, le=86400)] | None = None
    errors: Annotated[int, Meta(ge=0, le=10000)] | None = None


class EventsIn(Request):
    events: Annotated[list[EventIn], Meta(max_length=500)]


class Accepted(Reply):
    accepted: int


class ValidationProblem(Reply):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Reply):
    """Every refusal: a sentence for a person, or (a request the models refused) where and why."""

    detail: str | list[ValidationProblem]


#: The refusals every kiosk API route may answer with, for the OpenAPI document.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": why} for status, why in (
        (401, "No device token, or an unknown or revoked one"),
        (403, "Not this kiosk's to do"),
        (404, "Not found"),
        (409, "Conflicts with what the hub has"),
        (410, "Gone (expired)"),
        (413, "The request is too large"),
        (422, "The request is not valid: why, as a sentence or a list of problems"),
        (429, "Too many tries: wait"),
        (501, "Not set up at this council"),
    )}


class OutboxState(Request):
    """How a kiosk's queue stands: counts only, never what is in it."""

    queued: Annotated[int, Meta(ge=0, le=10**7)]
    held: Annotated[int, Meta(ge=0, le=10**7)]
    quarantined: Annotated[int, Meta(ge=0, le=10**7)]


#: What a kiosk may say it is showing: a code, never what is on the screen.
Screen = Literal["starting", "attract", "home", "journey", "confirmation", "assist", "taster", "closed",
                 "maintenance"]
#: The kinds of fault a kiosk reports: codes the fleet page explains, never an error's text.
Fault = Literal["", "hub_unreachable", "hub_refused", "storage", "other"]


class Heartbeat(Request):
    """How a kiosk is, once a minute: for the fleet page and /metrics. Versions, counts, codes
    and sizes only; nothing a resident typed or chose."""

    software_version: Annotated[str, Meta(max_length=32, pattern=r"^[0-9A-Za-z.+-]+$")]
    #: Digests (hex) of the journeys it runs, with their versions, and of its settings file.
    journeys_version: Annotated[str, Meta(max_length=64, pattern=r"^[0-9a-f]*$")]
    config_version: Annotated[str, Meta(max_length=64, pattern=r"^[0-9a-f]*$")]
    outbox_queued: Annotated[int, Meta(ge=0, le=10**7)]
    outbox_oldest_seconds: Annotated[int, Meta(ge=0, le=10**9)]
    outbox_held: Annotated[int, Meta(ge=0, le=10**7)]
    outbox_quarantined: Annotated[int, Meta(ge=0, le=10**7)]
    last_error: Fault
    uptime_seconds: Annotated[int, Meta(ge=0, le=10**9)]
    free_disk_mb: Annotated[int, Meta(ge=0, le=10**9)]
    screen: Screen


# ---- officer assist ------------------------------------------------------------------------
class HelpIn(Request):
    journey: Annotated[str, Meta(pattern=r"^[a-z0-9-]{0,64}$")] = ""
    step: StepId = ""


class HelpOut(Reply):
    id: int
    usual_wait_minutes: int


class JoinIn(Request):
    code: Annotated[str, Meta(pattern=r"^[0-9 ]{6,8}$")]


class JoinOut(Reply):
    staff_id: int
    name: str


class StaffPin(Reply):
    staff_id: int
    name: str
    #: Checks the PIN on this kiosk only (kiosk/workflows/pin_verifier.py); never a PIN.
    verifier: str


class StaffPins(Reply):
    staff: list[StaffPin]


class AuditIn(Request):
    id: Hex32
    at: dt.datetime
    staff_id: DbInt
    staff_name: Annotated[str, Meta(max_length=100)]
    action: AuditAction
    #: A step id, never an answer.
    step: StepId = ""


class AuditBatch(Request):
    entries: Annotated[list[AuditIn], Meta(max_length=500)]


# ---- library ICT taster sessions -------------------------------------------------------------
class Booking(Reply):
    id: int
    lessons: list[str]
    group: str
    #: Seconds from now, by the hub's clock (so the terminal's clock does not matter).
    starts_in_seconds: int
    ends_in_seconds: int


class RunCommand(Reply):
    id: str
    extra_minutes: int
    end: bool


class TasterState(Reply):
    bookings: list[Booking]
    runs: list[RunCommand]


class ReportIn(Request):
    """What a terminal says about its session. Lesson ids and times only."""

    id: Annotated[str, Meta(pattern=r"^[0-9a-f]{32}-[0-9]{1,6}$")]
    run: Hex32
    seq: Annotated[int, Meta(ge=0, le=999999)]
    booking_id: DbInt | None = None
    group: Annotated[str, Meta(max_length=GROUP_MAX)] = ""
    lessons: Annotated[list[LessonId], Meta(min_length=1, max_length=50)]
    started: Annotated[list[LessonId], Meta(max_length=50)] = []
    completed: Annotated[list[LessonId], Meta(max_length=50)] = []
    opened_by: int = 0
    started_at: dt.datetime
    ends_at: dt.datetime
    ended: bool = False
    #: Minutes added at the hub that the terminal has applied (ends_at includes them).
    hub_extra: Annotated[int, Meta(ge=0, le=10000)] = 0


class ReportsIn(Request):
    reports: Annotated[list[ReportIn], Meta(max_length=500)]


class CertificateIn(Request):
    lessons: Annotated[list[LessonId], Meta(min_length=1, max_length=50)]
    first_name: Annotated[str, Meta(max_length=60)] = ""


class CertificateOut(Reply):
    url: Annotated[str, Meta(pattern=r"^https?://")]
