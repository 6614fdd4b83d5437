"""Renderer-neutral descriptions of a step: what the Qt view and the hub's HTML both draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kiosk.workflows.i18n import N_, Catalog, english
from kiosk.workflows.model import Journey, Step, StepType

#: Which on-screen keyboard layout suits each field.
KEYBOARDS: dict[StepType, str] = {
    StepType.TEXT: "text",
    StepType.LONG_TEXT: "text",
    StepType.NUMBER: "numeric",
    StepType.DATE: "numeric",
    StepType.EMAIL: "email",
    StepType.PHONE: "phone",
    StepType.ADDRESS: "postcode",
    StepType.REFERENCE: "text",
}


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class ErrorView:
    message: str
    part: str = ""


@dataclass(frozen=True)
class StepView:
    journey_id: str
    journey_title: str
    step_id: str
    type: StepType
    heading: str
    hint: str
    body: tuple[str, ...]
    optional: bool
    sensitive: bool
    options: tuple[OptionView, ...]
    keyboard: str
    max_length: int | None
    continue_label: str
    #: The current answer, in the shape the widget takes (see JourneySession.answer_for_widget).
    value: Any
    errors: tuple[ErrorView, ...] = ()
    can_go_back: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryRow:
    step_id: str
    label: str
    answer: str
    sensitive: bool


QUICK_DATE_WORDS = {"today": N_("Today"), "yesterday": N_("Yesterday")}


def quick_dates(step: Step, catalog: Catalog, today: dt.date | None = None) -> list[tuple[str, str, dict[str, str]]]:
    day = today or dt.date.today()
    out: list[tuple[str, str, dict[str, str]]] = []
    for key in step.quick_dates:
        when = day if key == "today" else day - dt.timedelta(days=1)
        words = catalog.text("{when}, {date}", when=catalog.text(QUICK_DATE_WORDS[key]),
                             date=catalog.weekday_date(when))
        out.append((key, words, {"day": str(when.day), "month": str(when.month), "year": str(when.year)}))
    return out


def heading_for(step: Step, catalog: Catalog | None = None) -> str:
    text = step.question or step.summary_label
    if step.optional and step.collects_answer:
        return (catalog or english()).text("{question} (optional)", question=text)
    return text


def describe_step(
    journey: Journey,
    step: Step,
    value: Any,
    errors: tuple[ErrorView, ...],
    options: tuple[OptionView, ...] | None,
    can_go_back: bool,
    submit_label: str,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> StepView:
    catalog = catalog or english()
    if options is None:
        options = tuple(OptionView(o.value, o.label, o.hint) for o in step.options)
    if step.type == StepType.YES_NO:
        options = (OptionView("yes", catalog.text("Yes")), OptionView("no", catalog.text("No")))
    label = step.continue_label or (submit_label if step.type == StepType.CHECK_ANSWERS
                                    else catalog.text("Continue"))
    return StepView(
        journey_id=journey.id,
        journey_title=journey.title,
        step_id=step.id,
        type=step.type,
        heading=heading_for(step, catalog) if step.type != StepType.CHECK_ANSWERS else (
            step.question or catalog.text("Check your answers")),
        hint=step.hint,
        body=tuple(step.body),
        optional=step.optional,
        sensitive=step.sensitive,
        options=options,
        keyboard=KEYBOARDS.get(step.type, "text"),
        max_length=step.max_length,
        continue_label=label,
        value=value,
        errors=errors,
        can_go_back=can_go_back,
        extra={"end": step.type == StepType.INFO and step.end,
               # One-tap dates: (key, label, the date's day, month and year as the boxes take them).
               "quick_dates": quick_dates(step, catalog, today),
               # A journey that sends something can be finished on the resident's phone.
               "handoff": journey.submit is not None},
    )
