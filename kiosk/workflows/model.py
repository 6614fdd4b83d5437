"""Journey data files as checked Structs (one journey per file in config/journeys/).

The schema is documented in docs/journeys.md and exported as JSON Schema by
``kiosk journeys schema``. Data never carries code: conditions are plain comparisons.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from kiosk.workflows.structs import Meta, Strict


class StepType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    ADDRESS = "address"
    EMAIL = "email"
    PHONE = "phone"
    REFERENCE = "reference"
    INFO = "info"
    CHECK_ANSWERS = "check_answers"
    RESULT = "result"


#: Step types that collect an answer.
FIELD_TYPES = frozenset(
    {
        StepType.TEXT,
        StepType.LONG_TEXT,
        StepType.NUMBER,
        StepType.DATE,
        StepType.YES_NO,
        StepType.CHOICE,
        StepType.MULTI_CHOICE,
        StepType.ADDRESS,
        StepType.EMAIL,
        StepType.PHONE,
        StepType.REFERENCE,
    }
)


class Option(Strict):
    value: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9_]+$")]
    label: Annotated[str, Meta(min_length=1)]
    hint: str = ""


class Condition(Strict):
    """``when`` clause of a route: exactly one comparison on one earlier answer."""

    answer: Annotated[str, Meta(min_length=1)]
    equals: str | None = None
    not_equals: str | None = None
    one_of: list[str] | None = None
    includes: str | None = None
    answered: bool | None = None

    def __post_init__(self) -> None:
        given = [
            name
            for name in ("equals", "not_equals", "one_of", "includes", "answered")
            if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a condition needs exactly one of equals, not_equals, one_of, includes, answered"
                f" (found {', '.join(given) or 'none'})"
            )

    def compared_values(self) -> list[str]:
        if self.equals is not None:
            return [self.equals]
        if self.not_equals is not None:
            return [self.not_equals]
        if self.one_of is not None:
            return list(self.one_of)
        if self.includes is not None:
            return [self.includes]
        return []


class Route(Strict):
    goto: Annotated[str, Meta(min_length=1)]
    when: Condition | None = None


class DateRule(StrEnum):
    PAST = "past"
    FUTURE = "future"
    PAST_OR_TODAY = "past_or_today"
    TODAY_OR_FUTURE = "today_or_future"


class Step(Strict):
    id: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9_]+$")]
    type: StepType
    question: str = ""
    hint: str = ""
    #: Paragraphs of an information page or of text under the question.
    body: list[str] = []
    #: Noun phrase used in error messages: "your postcode" -> "Enter your postcode".
    error_name: str = ""
    #: Short label shown on check answers; defaults to the question.
    summary_label: str = ""
    optional: bool = False
    sensitive: bool = False
    options: list[Option] = []
    #: Where choice options come from the hub instead of the file (e.g. "bulky_waste_slots").
    options_source: str = ""
    min: float | None = None
    max: float | None = None
    whole_number: bool = True
    #: Number steps: at least as many as the answers chosen at this (multi-choice) step, so
    #: "two kinds of item" cannot come with "1 item".
    at_least_count_of: str = ""
    max_length: int | None = None
    date_rule: DateRule | None = None
    #: Date steps: one-tap answers offered above the day, month and year boxes ("Today",
    #: "Yesterday"); "Another date" opens the boxes. For questions about the last few days.
    quick_dates: list[Literal["today", "yesterday"]] = []
    #: For result steps: which look-up to run, and which answer feeds it.
    lookup: Literal["bin_days", "request_status", "places", ""] = ""
    lookup_from: str = ""
    continue_label: str = ""
    #: An information page with no next step may be the end of a journey.
    end: bool = False
    next: str | list[Route] | None = None

    @property
    def collects_answer(self) -> bool:
        return self.type in FIELD_TYPES

    @property
    def terminal(self) -> bool:
        return self.type in (StepType.CHECK_ANSWERS, StepType.RESULT) or (
            self.type == StepType.INFO and self.end
        )

    def routes(self) -> list[Route]:
        if self.next is None:
            return []
        if isinstance(self.next, str):
            return [Route(goto=self.next)]
        return list(self.next)


class Open311Mapping(Strict):
    service_code: Annotated[str, Meta(min_length=1)]
    #: Open311 attribute code -> answer id.
    attributes: dict[str, str] = {}
    #: Answer ids whose values make up the description, in order (the address and dates too:
    #: many back offices drop ``attribute[...]`` and read only the description).
    description_from: list[str] = []
    #: The answer holding the resident's full name, sent as first_name and last_name.
    name_from: str = ""

    def answer_ids(self) -> list[str]:
        return [*self.attributes.values(), *self.description_from, *([self.name_from] if self.name_from else [])]


class EmailMapping(Strict):
    #: The service mailbox(es) the case goes to.
    to: Annotated[list[Annotated[str, Meta(pattern=r"^[^@\s]+@[^@\s]+$")]], Meta(min_length=1)]


class Submission(Strict):
    connector: Literal["inbox", "open311", "email", "webhook"] = "inbox"
    submit_label: str = "Send"
    confirmation_title: str
    what_happens_next: list[str]
    open311: Open311Mapping | None = None
    email: EmailMapping | None = None

    def __post_init__(self) -> None:
        if self.connector == "open311" and self.open311 is None:
            raise ValueError("connector 'open311' needs an [submit.open311] table with service_code")
        if self.connector == "email" and self.email is None:
            raise ValueError("connector 'email' needs an [submit.email] table with to = [mailbox addresses]")


class Journey(Strict):
    id: Annotated[str, Meta(min_length=1, pattern=r"^[a-z0-9-]+$")]
    version: int = 1
    title: Annotated[str, Meta(min_length=1)]
    #: Two to five plain words on the home screen tile.
    tile: Annotated[str, Meta(min_length=1)]
    group: Annotated[str, Meta(min_length=1)]
    icon: str = "info"
    order: int = 100
    #: Look-up journeys need the hub to answer; submissions can be queued offline.
    needs_hub: bool = False
    start: Annotated[str, Meta(min_length=1)]
    submit: Submission | None = None
    steps: Annotated[list[Step], Meta(min_length=1)]

    def __post_init__(self) -> None:
        self._counts_name_a_multi_choice()
        self._open311_names_steps()

    def _counts_name_a_multi_choice(self) -> None:
        for step in self.steps:
            if step.at_least_count_of:
                other = next((s for s in self.steps if s.id == step.at_least_count_of), None)
                if step.type != StepType.NUMBER or other is None or other.type != StepType.MULTI_CHOICE:
                    raise ValueError(f"step '{step.id}': at_least_count_of must be on a number step and name a "
                                     "multi_choice step")

    def _open311_names_steps(self) -> None:
        mapping = self.submit.open311 if self.submit is not None else None
        if mapping is not None:
            unknown = [a for a in mapping.answer_ids() if a not in self.step_ids]
            if unknown:
                raise ValueError(f"submit.open311 names answers the journey does not ask: {', '.join(unknown)}")

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def step_ids(self) -> list[str]:
        return [s.id for s in self.steps]
