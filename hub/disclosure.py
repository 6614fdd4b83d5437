"""Small-number suppression that subtraction cannot undo.

Hiding a count below the threshold is not enough when its neighbours are shown: all sites 15
minus site B 12 gives site A's 3, and a total minus every row but one gives that row. So the
cells hidden in any group that adds up to a shown total must, together, hold none or at least
the threshold; when they do not, the next smallest cell is hidden too ("complementary" or
secondary suppression). Two groups are protected here:

- across sites: one figure for every site and for all sites together (the site selector);
- within a table: rows that add up to a total shown beside them (tasks started by task and in
  all, the reasons residents left a step and how many left it, languages and sessions).

Pure functions on integers: the report decides what adds up to what."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One published figure: its true value, and whether it may be shown."""

    n: int
    hidden: bool = False
    #: Hidden only to protect another cell (the value itself is not small).
    secondary: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.n


def small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def complete(values: Sequence[int], hidden: set[int], threshold: int) -> tuple[set[int], bool]:
    """Hide more of `values` until the hidden ones add up to none or at least `threshold`.

    Returns the hidden indices and whether the total must be hidden as well (when there is
    nothing left to hide and the hidden cells are still small together)."""
    hidden = set(hidden)
    while small(sum(values[i] for i in hidden), threshold):
        spare = sorted((values[i], i) for i in range(len(values)) if i not in hidden and values[i] > 0)
        if not spare:
            return hidden, True
        hidden.add(spare[0][1])
    return hidden, False


def across_sites(by_site: Mapping[str, int], site: str | None, threshold: int) -> Cell:
    """The cell for one site (or all sites, `site` None) given the same figure for every site."""
    names = sorted(by_site)
    values = [by_site[s] for s in names]
    first = {i for i, n in enumerate(values) if small(n, threshold)}
    hidden, total_too = complete(values, first, threshold)
    if site is None:
        total = sum(values)
        return Cell(total, hidden=small(total, threshold) or total_too)
    n = by_site.get(site, 0)
    if site not in by_site or names.index(site) not in hidden:
        return Cell(n)
    return Cell(n, hidden=True, secondary=not small(n, threshold))


def within(parts: Sequence[Cell], total: Cell, threshold: int) -> tuple[list[Cell], Cell]:
    """Parts that add up to a total shown beside them: hide more parts (or the total) until no
    subtraction gives a small number."""
    if total.hidden:
        return list(parts), total
    values = [p.n for p in parts]
    hidden, total_too = complete(values, {i for i, p in enumerate(parts) if p.hidden}, threshold)
    out = [p if i not in hidden or p.hidden else Cell(p.n, hidden=True, secondary=True)
           for i, p in enumerate(parts)]
    if total_too:
        total = Cell(total.n, hidden=True, secondary=not small(total.n, threshold))
    return out, total
