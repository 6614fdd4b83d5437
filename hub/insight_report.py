"""Turn daily counts into the insight tables (and their charts). The page and the CSV export
both come from here, so they always agree. Small numbers are suppressed, and so is whatever would
give one away by subtraction."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from hub.config import InsightSettings
from hub.disclosure import Cell, across_sites, within
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
    #: The bar chart: for each label, a value per series (None when suppressed). Every series
    #: a table's title names is drawn ("Tasks started and finished": both).
    chart: list[tuple[str, list[int | None]]] = field(default_factory=list)
    series: list[str] = field(default_factory=lambda: ["Count"])


class Report:
    """The insight tables for one site (or all, `site` None), from every site's counts: a figure is
    hidden when it is small, and so is whatever would give it away by subtraction
    (hub/disclosure.py)."""

    def __init__(self, by_site: dict[str, Counts], site: str | None, journeys: dict[str, Journey],
                 settings: InsightSettings) -> None:
        self.by_site = by_site
        self.site = site
        self.c = by_site.get(site, Counts({})) if site else Counts.total(by_site.values())
        self.journeys = journeys
        self.s = settings

    # ---- small-number suppression ---------------------------------------------------------
    def cell(self, metric: str, keys: list[str] | None = None) -> Cell:
        """A figure summed over `keys` of `metric` (every key when None), protected across sites."""
        def value(c: Counts) -> int:
            items = c.items(metric)
            return sum(items.values()) if keys is None else sum(items.get(k, 0) for k in keys)
        return across_sites({s: value(c) for s, c in self.by_site.items()}, self.site, self.s.min_count)

    def within(self, parts: list[Cell], total: Cell) -> tuple[list[Cell], Cell]:
        return within(parts, total, self.s.min_count)

    def num(self, cell: Cell) -> str:
        if not cell.hidden:
            return str(cell.n)
        return "suppressed" if cell.secondary else f"fewer than {self.s.min_count}"

    def rate(self, part: Cell, whole: Cell) -> str:
        if whole.n == 0:
            return "no data"
        if part.hidden or whole.hidden:
            return "suppressed"
        return f"{100 * part.n / whole.n:.0f}%"

    def title(self, journey_id: str) -> str:
        j = self.journeys.get(journey_id)
        return j.title if j else journey_id

    def _task_ids(self) -> list[str]:
        return sorted(self.c.items("started"), key=self.title)

    def _tasks(self) -> tuple[list[Cell], Cell, list[Cell], Cell]:
        """Started and finished for each task, and in all: the summary and the tasks table agree."""
        ids = self._task_ids()
        started, all_started = self.within([self.cell("started", [j]) for j in ids], self.cell("started"))
        finished, all_finished = self.within([self.cell("finished", [j]) for j in ids], self.cell("finished"))
        return started, all_started, finished, all_finished

    # ---- tables ---------------------------------------------------------------------------
    def summary(self) -> Table:
        _, started, _, finished = self._tasks()
        # Tasks finished = with staff help + by themselves: the cost avoided (from the second)
        # must not give the first away.
        (assisted, self_service), finished = self.within(
            [self.cell("channel", ["assisted"]), self.cell("channel", ["self-service"])], finished)
        s = self.s
        avoided = self_service.n * (s.cost_face_to_face - s.cost_web)
        cost = "suppressed" if self_service.hidden else f"£{avoided:,.2f}"
        rows = [
            ["Sessions", self.num(self._languages()[1])],
            ["Tasks started", self.num(started)],
            ["Tasks finished", self.num(finished)],
            ["Completion rate", self.rate(finished, started)],
            ["Finished with staff help (assisted share)",
             self.rate(assisted, Cell(assisted.n + self_service.n, hidden=self_service.hidden))],
            ["Moved to a phone: started", self.num(self.cell("handoff_started"))],
            ["Moved to a phone: finished", self.num(self.cell("handoff_completed"))],
            ["Help requested", self.num(self.cell("help"))],
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
        started, _, finished, _ = self._tasks()
        rows, chart = [], []
        for jid, st, fi in zip(self._task_ids(), started, finished, strict=True):
            rows.append([self.title(jid), self.num(st), self.num(fi), self.rate(fi, st)])
            chart.append((self.title(jid), [st.shown, fi.shown]))
        return Table("tasks", "Tasks started and finished", ["Task", "Started", "Finished", "Completion rate"],
                     rows, chart, ["Started", "Finished"])

    def funnel(self, journey_id: str) -> Table:
        journey = self.journeys[journey_id]
        left: dict[str, dict[str, list[str]]] = {}  # step -> why they left -> the counts' keys
        for key in self.c.items("left"):
            jid, step_id, reason = key.split("/", 2)
            if jid == journey_id:
                left.setdefault(step_id, {}).setdefault(LEFT_REASONS.get(reason, reason), []).append(key)
        rows, chart = [], []
        for step in journey.steps:
            reached = self.cell("reached", [f"{journey_id}/{step.id}"])
            if not reached.n and step.id not in left:
                continue
            label = step.summary_label or step.question or STEP_NAMES.get(step.type.value, step.id)
            reasons = sorted(left.get(step.id, {}).items())
            gave_up = [key for _, keys in reasons for key in keys]
            why_cells, left_here = self.within([self.cell("left", keys) for _, keys in reasons],
                                               self.cell("left", gave_up))
            why = "; ".join(f"{self.num(c)} {r}" for (r, _), c in zip(reasons, why_cells, strict=True)) or "none"
            rows.append([label, self.num(reached), self.num(left_here), why])
            chart.append((label, [reached.shown, left_here.shown]))
        return Table(f"funnel-{journey_id}", f"Where residents gave up: {journey.title}",
                     ["Step", "Reached", "Left here", "Why they left"], rows, chart, ["Reached", "Left here"])

    def funnels(self) -> list[Table]:
        return [self.funnel(j) for j in self._task_ids() if j in self.journeys]

    def errors(self) -> Table:
        top = sorted(self.c.items("errors").items(), key=lambda kv: -kv[1])[:20]
        rows, chart = [], []
        for key, _ in top:
            jid, step, part, kind = key.split("/", 3)
            journey = self.journeys.get(jid)
            label = step
            if journey is not None and step in journey.step_ids:
                st = journey.step(step)
                label = st.summary_label or st.question
            n = self.cell("errors", [key])
            rows.append([self.title(jid), label, "" if part == "-" else part, kind.replace("_", " "), self.num(n)])
            chart.append((f"{self.title(jid)}: {label}", [n.shown]))
        return Table("errors", "Questions with the most errors", ["Task", "Question", "Part", "Kind of error",
                                                                  "Errors"], rows, chart, ["Errors"])

    def _simple(self, name: str, title: str, metric: str, first: str, labels: dict[str, str],
                cells: list[Cell] | None = None) -> Table:
        keys = sorted(self.c.items(metric), key=lambda k: -self.c.get(metric, k))
        cells = cells if cells is not None else [self.cell(metric, [k]) for k in keys]
        rows = [[labels.get(k, k), self.num(c)] for k, c in zip(keys, cells, strict=True)]
        return Table(name, title, [first, "Count"], rows,
                     [(labels.get(k, k), [c.shown]) for k, c in zip(keys, cells, strict=True)])

    def _languages(self) -> tuple[list[Cell], Cell]:
        """Every session has one language: the languages add up to the sessions."""
        keys = sorted(self.c.items("language"), key=lambda k: -self.c.get("language", k))
        return self.within([self.cell("language", [k]) for k in keys], self.cell("sessions"))

    def accessibility(self) -> Table:
        return self._simple("accessibility", "Accessibility settings used (sessions)", "accessibility", "Setting",
                            SETTINGS)

    def languages(self) -> Table:
        return self._simple("languages", "Languages used (sessions)", "language", "Language", {"en": "English"},
                            self._languages()[0])

    def why(self) -> Table:
        return self._simple("why", "Why did you come in today rather than go online?", "why", "Answer",
                            WHY_REASONS)

    def tables(self) -> list[Table]:
        return [self.summary(), self.tasks(), *self.funnels(), self.errors(), self.accessibility(),
                self.languages(), self.why()]


#: Bar colours, one per series: GOV.UK blue and a dark green, each at least 3:1 against white
#: (WCAG 1.4.11), and told apart by the legend's words as well as by colour.
SERIES_COLOURS = ("#1d70b8", "#0b5e3a")


def bar_chart(table: Table, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG, readable without JavaScript: a bar per series for
    each label, a legend naming the series. The table beside it carries the same numbers for
    screen readers (the SVG is aria-hidden)."""
    if not table.chart:
        return ""
    bar_h, gap, label_w, legend_h = 22, 14, 260, 34 if len(table.series) > 1 else 0
    group_h = bar_h * len(table.series) + gap
    top = max((v or 0) for _, values in table.chart for v in values) or 1
    parts = []
    if legend_h:
        x = 0
        for i, name in enumerate(table.series):
            parts.append(f'<rect x="{x}" y="6" width="18" height="18" fill="{SERIES_COLOURS[i % 2]}"/>'
                         f'<text x="{x + 26}" y="21" font-size="16">{html.escape(name)}</text>')
            x += 40 + 10 * len(name)
    for i, (name, values) in enumerate(table.chart):
        y = legend_h + i * group_h
        middle = y + bar_h * len(values) // 2 + 6
        parts.append(f'<text x="0" y="{middle}" font-size="16">{html.escape(name[:34])}</text>')
        for j, value in enumerate(values):
            w = 0 if value is None else round((width - label_w - 120) * value / top)
            shown = "suppressed" if value is None else str(value)
            by = y + j * bar_h
            parts.append(f'<rect x="{label_w}" y="{by + 2}" width="{w}" height="{bar_h - 4}" '
                         f'fill="{SERIES_COLOURS[j % 2]}"/>'
                         f'<text x="{label_w + w + 8}" y="{by + bar_h - 6}" font-size="14">{html.escape(shown)}</text>')
    height = legend_h + group_h * len(table.chart)
    return (f'<svg class="hub-chart" role="img" aria-hidden="true" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif" '
            f'fill="#0b0c0c">{"".join(parts)}</svg>')
