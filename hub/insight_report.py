"""Turn daily counts into the insight tables (and their charts). The page and the CSV export
both come from here, so they always agree. Small numbers are suppressed."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from hub.config import InsightSettings
from hub.insight import Counts
from kiosk.workflows.model import Journey
from kiosk.workflows.why import WHY_REASONS

LEFT_REASONS = {"timeout": "timed out", "timeout_confirmed": "timed out", "start_again": "started again",
                "end_page": "not eligible or nothing to do", "handoff": "moved to a phone",
                "maintenance": "staff took over", "out_of_service": "out of service", "officer_end": "ended by staff"}
STEP_NAMES = {"check_answers": "Check your answers", "result": "The answer", "info": "Information page"}
SETTINGS = {"none": "None", "large_text": "Large text", "largest_text": "Largest text",
            "high_contrast": "High contrast", "speech": "Speech"}


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    #: (label, value or None when suppressed) for a bar chart of the first numeric column.
    chart: list[tuple[str, int | None]] = field(default_factory=list)


class Report:
    def __init__(self, counts: Counts, journeys: dict[str, Journey], settings: InsightSettings) -> None:
        self.c = counts
        self.journeys = journeys
        self.s = settings

    # ---- small-number suppression ---------------------------------------------------------
    def shown(self, n: int) -> int | None:
        return None if 0 < n < self.s.min_count else n

    def num(self, n: int) -> str:
        return f"fewer than {self.s.min_count}" if self.shown(n) is None else str(n)

    def rate(self, part: int, whole: int) -> str:
        if whole == 0:
            return "no data"
        if self.shown(part) is None or self.shown(whole) is None:
            return "suppressed"
        return f"{100 * part / whole:.0f}%"

    def title(self, journey_id: str) -> str:
        j = self.journeys.get(journey_id)
        return j.title if j else journey_id

    # ---- tables ---------------------------------------------------------------------------
    def summary(self) -> Table:
        started = sum(self.c.items("started").values())
        finished = sum(self.c.items("finished").values())
        channels = self.c.items("channel")
        assisted = channels.get("assisted", 0)
        self_service = channels.get("self-service", 0)
        s = self.s
        avoided = self_service * (s.cost_face_to_face - s.cost_web)
        cost = "suppressed" if self.shown(self_service) is None else f"£{avoided:,.2f}"
        rows = [
            ["Sessions", self.num(self.c.get("sessions"))],
            ["Tasks started", self.num(started)],
            ["Tasks finished", self.num(finished)],
            ["Completion rate", self.rate(finished, started)],
            ["Finished with staff help (assisted share)", self.rate(assisted, sum(channels.values()))],
            ["Moved to a phone: started", self.num(sum(self.c.items("handoff_started").values()))],
            ["Moved to a phone: finished", self.num(sum(self.c.items("handoff_completed").values()))],
            ["Help requested", self.num(sum(self.c.items("help").values()))],
            ["Estimated cost avoided", cost],
        ]
        return Table("summary", "Summary", ["Measure", "Value"], rows)

    def cost_assumptions(self) -> str:
        s = self.s
        return (f"An estimate, not an accounting figure. It assumes each task a resident finished by themselves "
                f"here would otherwise have been a face-to-face contact (£{s.cost_face_to_face:.2f}), and now "
                f"costs what a web transaction does (£{s.cost_web:.2f}); a telephone contact costs "
                f"£{s.cost_telephone:.2f}. Tasks finished with staff help are not counted as avoided.")

    def tasks(self) -> Table:
        rows, chart = [], []
        for jid in sorted(self.c.items("started"), key=self.title):
            started, finished = self.c.get("started", jid), self.c.get("finished", jid)
            rows.append([self.title(jid), self.num(started), self.num(finished), self.rate(finished, started)])
            chart.append((self.title(jid), self.shown(started)))
        return Table("tasks", "Tasks started and finished", ["Task", "Started", "Finished", "Completion rate"],
                     rows, chart)

    def funnel(self, journey_id: str) -> Table:
        journey = self.journeys[journey_id]
        left: dict[str, dict[str, int]] = {}
        for key, n in self.c.items("left").items():
            jid, step_id, reason = key.split("/", 2)
            if jid == journey_id:
                why_left = LEFT_REASONS.get(reason, reason)
                left.setdefault(step_id, {}).setdefault(why_left, 0)
                left[step_id][why_left] += n
        rows, chart = [], []
        for step in journey.steps:
            reached = self.c.get("reached", f"{journey_id}/{step.id}")
            if not reached and step.id not in left:
                continue
            label = step.summary_label or step.question or STEP_NAMES.get(step.type.value, step.id)
            gave_up = left.get(step.id, {})
            why = "; ".join(f"{self.num(n)} {r}" for r, n in sorted(gave_up.items())) or "none"
            rows.append([label, self.num(reached), self.num(sum(gave_up.values())), why])
            chart.append((label, self.shown(reached)))
        return Table(f"funnel-{journey_id}", f"Where residents gave up: {journey.title}",
                     ["Step", "Reached", "Left here", "Why they left"], rows, chart)

    def funnels(self) -> list[Table]:
        return [self.funnel(j) for j in sorted(self.c.items("started"), key=self.title) if j in self.journeys]

    def errors(self) -> Table:
        top = sorted(self.c.items("errors").items(), key=lambda kv: -kv[1])[:20]
        rows = []
        for key, n in top:
            jid, step, part, kind = key.split("/", 3)
            journey = self.journeys.get(jid)
            label = step
            if journey is not None and step in journey.step_ids:
                st = journey.step(step)
                label = st.summary_label or st.question
            rows.append([self.title(jid), label, "" if part == "-" else part, kind.replace("_", " "), self.num(n)])
        return Table("errors", "Questions with the most errors", ["Task", "Question", "Part", "Kind of error",
                                                                  "Errors"], rows,
                     [(f"{r[0]}: {r[1]}", self.shown(n)) for r, (_, n) in zip(rows, top, strict=True)])

    def _simple(self, name: str, title: str, metric: str, first: str, labels: dict[str, str]) -> Table:
        items = sorted(self.c.items(metric).items(), key=lambda kv: -kv[1])
        rows = [[labels.get(k, k), self.num(n)] for k, n in items]
        return Table(name, title, [first, "Count"], rows, [(labels.get(k, k), self.shown(n)) for k, n in items])

    def accessibility(self) -> Table:
        return self._simple("accessibility", "Accessibility settings used (sessions)", "accessibility", "Setting",
                            SETTINGS)

    def languages(self) -> Table:
        return self._simple("languages", "Languages used (sessions)", "language", "Language", {"en": "English"})

    def why(self) -> Table:
        return self._simple("why", "Why did you come in today rather than go online?", "why", "Answer",
                            WHY_REASONS)

    def tables(self) -> list[Table]:
        return [self.summary(), self.tasks(), *self.funnels(), self.errors(), self.accessibility(),
                self.languages(), self.why()]


def bar_chart(table: Table, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG, readable without JavaScript; the table beside it
    carries the same numbers for screen readers (the SVG is aria-hidden)."""
    if not table.chart:
        return ""
    row_h, label_w = 36, 260
    top = max((v or 0) for _, v in table.chart) or 1
    bars = []
    for i, (name, value) in enumerate(table.chart):
        y = i * row_h
        w = 0 if value is None else round((width - label_w - 120) * value / top)
        shown = "fewer than 5" if value is None else str(value)
        bars.append(
            f'<text x="0" y="{y + 23}" font-size="16">{html.escape(name[:34])}</text>'
            f'<rect x="{label_w}" y="{y + 6}" width="{w}" height="24" fill="#1d70b8"/>'
            f'<text x="{label_w + w + 8}" y="{y + 23}" font-size="16">{html.escape(shown)}</text>'
        )
    height = row_h * len(table.chart)
    return (f'<svg role="img" aria-hidden="true" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif" fill="#0b0c0c">{"".join(bars)}</svg>')
