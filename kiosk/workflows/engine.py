"""One resident's run through one journey: answers, the path taken, back, change, submit.

The engine decides what comes next; views only render ``StepView`` and hand back what the
resident entered (``raw``). Nothing here knows about Qt or HTTP.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.workflows import validators as v
from kiosk.workflows.describe import ErrorView, OptionView, StepView, SummaryRow, describe_step
from kiosk.workflows.i18n import Catalog, english
from kiosk.workflows.model import Condition, Journey, Step, StepType

Answer = Any


@dataclass(frozen=True)
class Preview:
    """The page the current step most likely leads to, worked out before the resident answers
    (the kiosk builds it while they read: kiosk/flows/ahead.py). Only a guess: it is used when
    it equals what the answer then leads to."""

    view: StepView
    #: For a check-answers page: its rows, the current step's answer left blank (not known yet).
    rows: tuple[SummaryRow, ...] = ()


class _Pending:
    """The current step's answer in a preview: given, but not known yet."""


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple)):
        return len(raw) == 0
    if isinstance(raw, dict):
        if raw.get("mode") == "select":
            return not str(raw.get("postcode", "")).strip() and not raw.get("address")
        return all(not str(val).strip() for key, val in raw.items() if key != "mode")
    return False


class JourneySession:
    def __init__(self, journey: Journey, today: Callable[[], dt.date] = dt.date.today,
                 catalog: Catalog | None = None) -> None:
        #: The journey as written (English): what the council receives.
        self.source = journey
        self.catalog = catalog or english()
        #: The journey in the resident's language: what the pages show.
        self.journey = self.catalog.journey(journey)
        self._english = english()
        self._today = today
        self.answers: dict[str, Answer] = {}
        self.history: list[str] = [journey.start]
        self.changing = False
        self._dynamic: dict[str, tuple[OptionView, ...]] = {}
        self._error: v.FieldError | None = None
        self._raw: Any = None
        #: Typed on the current step but not yet sent (it came from a kiosk with the journey):
        #: shown in the boxes until the resident moves on.
        self.draft: Any = None
        self.error_count = 0
        self.last_error_kind = ""

    # ---- where we are -------------------------------------------------------------
    @property
    def current(self) -> Step:
        return self.journey.step(self.history[-1])

    def set_catalog(self, catalog: Catalog) -> None:
        """The resident chose another language: same answers and place, new words."""
        self.catalog = catalog
        self.journey = catalog.journey(self.source)

    @property
    def _errors(self) -> tuple[ErrorView, ...]:
        err = self._error
        if err is None:
            return ()
        return (ErrorView(self.catalog.text(err.template, **dict(err.values)), err.part),)

    def view(self) -> StepView:
        step = self.current
        value = (self._raw if self._error is not None
                 else self.draft if self.draft is not None else self.answer_for_widget(step))
        submit_label = self.journey.submit.submit_label if self.journey.submit else self.catalog.text("Continue")
        return describe_step(
            self.journey,
            step,
            value,
            self._errors,
            self._dynamic.get(step.id),
            can_go_back=len(self.history) > 1,
            submit_label=submit_label,
            catalog=self.catalog,
        )

    def dynamic_options(self) -> dict[str, tuple[OptionView, ...]]:
        return dict(self._dynamic)

    def set_dynamic_options(self, step_id: str, options: list[OptionView]) -> None:
        self._dynamic[step_id] = tuple(options)

    def needs_dynamic_options(self) -> str:
        """The options_source of the current step if its options are not loaded yet."""
        step = self.current
        if step.options_source and step.id not in self._dynamic:
            return step.options_source
        return ""

    def options_for(self, step: Step) -> tuple[OptionView, ...]:
        if step.id in self._dynamic:
            return self._dynamic[step.id]
        if step.type == StepType.YES_NO:
            return (OptionView("yes", self.catalog.text("Yes")), OptionView("no", self.catalog.text("No")))
        return tuple(OptionView(o.value, o.label, o.hint) for o in step.options)

    # ---- moving -------------------------------------------------------------------
    def submit_answer(self, raw: Any) -> bool:
        """Validate what was entered on the current step; on success move on. False on errors."""
        step = self.current
        if step.collects_answer:
            try:
                value = self.validate(step, raw)
            except v.FieldError as err:
                self._error = err
                self._raw, self.draft = raw, None
                self.error_count += 1
                self.last_error_kind = err.kind
                return False
            self.answers[step.id] = value  # None records a skipped optional question
        self._move_on(step)
        return True

    def _move_on(self, step: Step) -> None:
        """From ``step``, its answer recorded: to the step its routes lead to."""
        self._error = None
        self._raw = self.draft = None
        self.history.append(self._next_step_id(step))

    def _next_step_id(self, step: Step) -> str:
        if self.changing:
            path = self.path()
            after = path[path.index(step.id) + 1 :] if step.id in path else path
            for sid in after:
                s = self.journey.step(sid)
                if s.terminal:
                    self.changing = False
                    return sid
                if s.collects_answer and sid not in self.answers:
                    return sid
        return self.route_from(step)

    def route_from(self, step: Step) -> str:
        for route in step.routes():
            if route.when is None or self._holds(route.when):
                return route.goto
        raise RuntimeError(f"no route from {step.id}")  # prevented by the loader

    def _holds(self, cond: Condition) -> bool:
        value = self.answers.get(cond.answer)
        if cond.answered is not None:
            return (value is not None) == cond.answered
        if cond.equals is not None:
            return value == cond.equals
        if cond.not_equals is not None:
            return value != cond.not_equals
        if cond.one_of is not None:
            return value in cond.one_of
        if cond.includes is not None:
            return isinstance(value, list) and cond.includes in value
        return False

    def preview_next(self) -> Preview | None:
        """The next page as it will most likely be once the current step is answered: a route
        that tests that answer is taken as if it were none of the values the route names. None
        when there is no page to build ahead (a result, options to fetch, the end)."""
        step = self.current
        if step.type in (StepType.CHECK_ANSWERS, StepType.RESULT) or step.terminal:
            return None
        ghost = copy.copy(self)
        ghost.answers = dict(self.answers)
        ghost.history = list(self.history)
        if step.collects_answer:
            ghost.answers[step.id] = _Pending()
        ghost._move_on(step)
        after = ghost.current
        if after.type == StepType.RESULT or ghost.needs_dynamic_options():
            return None
        if after.type == StepType.CHECK_ANSWERS:
            return Preview(ghost.view(), tuple(ghost.summary()))
        return Preview(ghost.view())

    def back(self) -> bool:
        if len(self.history) <= 1:
            return False
        self.history.pop()
        self._error = None
        self._raw = self.draft = None
        return True

    def change(self, step_id: str) -> None:
        """From check answers, revisit one answer; Continue then returns to check answers."""
        self.changing = True
        self._error = None
        self._raw = self.draft = None
        self.history.append(step_id)

    def path(self) -> list[str]:
        """Steps the current answers lead through, from the start to an end or a gap."""
        out: list[str] = []
        sid = self.journey.start
        while sid not in out:
            out.append(sid)
            step = self.journey.step(sid)
            if step.terminal or (step.collects_answer and step.id not in self.answers):
                break
            sid = self.route_from(step)
        return out

    # ---- validation ---------------------------------------------------------------
    def validate(self, step: Step, raw: Any) -> Answer:
        name = step.error_name or self.catalog.text("an answer")
        if is_blank(raw):
            if step.optional:
                return None
            if step.type in (StepType.CHOICE, StepType.YES_NO):
                raise _select(step, name, "missing")
            if step.type == StepType.MULTI_CHOICE:
                raise v.FieldError("Select {name}", kind="missing", values=(("name", name),))
        t = step.type
        if t in (StepType.TEXT, StepType.LONG_TEXT):
            return v.validate_text(str(raw or ""), name, step.max_length)
        if t == StepType.NUMBER:
            chosen = self.answers.get(step.at_least_count_of) if step.at_least_count_of else None
            least = len(chosen) if isinstance(chosen, list) and chosen else None
            number = v.validate_number(str(raw or ""), name, step.min, step.max, step.whole_number)
            if least is not None and number < least:  # "two kinds of item" cannot be "1 item"
                v.validate_number(str(raw or ""), name, least, None, step.whole_number)
            return number
        if t == StepType.EMAIL:
            return v.validate_email(str(raw or ""), name)
        if t == StepType.PHONE:
            return v.validate_phone(str(raw or ""), name)
        if t == StepType.REFERENCE:
            return v.validate_reference(str(raw or ""), name)
        if t == StepType.DATE:
            parts = raw or {}
            date = v.validate_date(
                str(parts.get("day", "")), str(parts.get("month", "")), str(parts.get("year", "")),
                name, step.date_rule, self._today(),
            )
            return date.isoformat()
        if t in (StepType.CHOICE, StepType.YES_NO):
            if raw not in [o.value for o in self.options_for(step)]:
                raise _select(step, name, "not_offered")
            return raw
        if t == StepType.MULTI_CHOICE:
            allowed = [o.value for o in self.options_for(step)]
            chosen = [x for x in allowed if x in raw]
            if len(chosen) != len(set(raw)):
                raise v.FieldError("Select {name}", kind="not_offered", values=(("name", name),))
            return chosen
        if t == StepType.ADDRESS:
            return self._validate_address(raw or {}, name)
        raise v.FieldError("This question cannot be answered here")  # pragma: no cover

    def _validate_address(self, raw: dict[str, Any], name: str) -> dict[str, Any]:
        if raw.get("mode") == "manual":
            line1 = str(raw.get("line1", "")).strip()
            town = str(raw.get("town", "")).strip()
            if not line1:
                raise v.FieldError("Enter the first line of the address, like the house number and street", "line1",
                                   "missing")
            if not town:
                raise v.FieldError("Enter the town or city", "town", "missing")
            postcode = v.validate_postcode(str(raw.get("postcode", "")), self.catalog.text("the postcode"))
            return {
                "uprn": "",
                "line1": line1[:100],
                "line2": str(raw.get("line2", "")).strip()[:100],
                "town": town[:60],
                "postcode": postcode,
                "manual": True,
            }
        v.validate_postcode(str(raw.get("postcode", "")), self.catalog.text("the postcode"))
        chosen = raw.get("address")
        if not isinstance(chosen, dict) or not chosen.get("uprn"):
            raise v.FieldError("Select {name} from the list, or choose My address is not listed", "address",
                               "missing", (("name", name),))
        return {
            "uprn": str(chosen["uprn"]),
            "line1": str(chosen.get("line1", "")),
            "line2": str(chosen.get("line2", "")),
            "town": str(chosen.get("town", "")),
            "postcode": str(chosen.get("postcode", "")),
            "manual": False,
        }

    # ---- presenting answers -------------------------------------------------------
    def answer_for_widget(self, step: Step) -> Any:
        value = self.answers.get(step.id)
        if value is None:
            return None
        if step.type == StepType.DATE:
            d = dt.date.fromisoformat(value)
            return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
        if step.type == StepType.ADDRESS:
            if value.get("manual"):
                return {"mode": "manual", **{k: value[k] for k in ("line1", "line2", "town", "postcode")}}
            return {"mode": "select", "postcode": value["postcode"], "address": dict(value)}
        if step.type == StepType.NUMBER:
            return str(value)
        return value

    def display(self, step: Step, catalog: Catalog | None = None) -> str:
        catalog = catalog or self.catalog
        value = self.answers.get(step.id)
        if value is None:
            return catalog.text("Not provided")
        if step.type == StepType.DATE:
            return catalog.date(dt.date.fromisoformat(value))
        if step.type == StepType.YES_NO:
            return catalog.text("Yes") if value == "yes" else catalog.text("No")
        if step.type in (StepType.CHOICE, StepType.YES_NO):
            labels = {o.value: o.label for o in self.options_for(step)}
            return labels.get(value, str(value))
        if step.type == StepType.MULTI_CHOICE:
            labels = {o.value: o.label for o in self.options_for(step)}
            return "\n".join(labels.get(x, x) for x in value)
        if step.type == StepType.ADDRESS:
            return format_address(value)
        return str(value)

    def summary(self, in_english: bool = False) -> list[SummaryRow]:
        journey, catalog = (self.source, self._english) if in_english else (self.journey, self.catalog)
        rows = []
        for sid in self.path():
            step = journey.step(sid)
            if step.collects_answer:
                label = step.summary_label or step.question
                shown = "" if isinstance(self.answers.get(sid), _Pending) else self._shown(step, catalog)
                rows.append(SummaryRow(sid, label, shown, step.sensitive))
        return rows

    def _shown(self, step: Step, catalog: Catalog) -> str:
        if step.type in (StepType.CHOICE, StepType.MULTI_CHOICE) and step.id not in self._dynamic:
            # Labels from the journey given (English for the council), not the resident's language.
            labels = {o.value: o.label for o in step.options}
            value = self.answers.get(step.id)
            if value is None:
                return catalog.text("Not provided")
            if isinstance(value, list):
                return "\n".join(str(labels.get(x, x)) for x in value)
            return labels.get(value, str(value))
        return self.display(step, catalog)

    def submission(self) -> dict[str, Any]:
        """Answers on the path actually taken: what goes to the hub."""
        path = self.path()
        answers = {sid: self.answers.get(sid) for sid in path if self.journey.step(sid).collects_answer}
        return {
            "journey_id": self.journey.id,
            "journey_version": self.journey.version,
            "answers": answers,
            # In English, whatever language the resident used: council staff read it.
            "summary": [{"question": r.label, "answer": r.answer} for r in self.summary(in_english=True)],
        }


def _select(step: Step, name: str, kind: str) -> v.FieldError:
    if step.error_name:
        return v.FieldError("Select {name}", kind=kind, values=(("name", name),))
    return v.FieldError("Select yes or no", kind=kind)


def format_address(value: dict[str, Any]) -> str:
    parts = [value.get("line1", ""), value.get("line2", ""), value.get("town", ""), value.get("postcode", "")]
    return ", ".join(p for p in parts if p)
