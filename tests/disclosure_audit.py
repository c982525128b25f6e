"""Test-only audit of published tables: can a reader work a hidden count out exactly?

:func:`recoverable_cells` checks a table by brute force, independently of the linear
programming :func:`slp.disclosure.suppress_table` uses; :func:`solve` does the same for any
set of sums a reader knows (a column total printed in the words, the rows of one category).
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from slp import _secondary
from slp.disclosure import SECONDARY_LABEL, DisclosureRule
from slp.errors import SlpError

Cell = tuple[Hashable, Hashable]

def recoverable_cells(
    shown: pd.DataFrame | pd.Series,
    rule: DisclosureRule | None = None,
    *,
    row_total: Hashable | None = None,
    col_total: Hashable | None = None,
    sensitive: bool = False,
    ceiling: int | None = None,
) -> dict[Cell, int]:
    """Find hidden cells a reader could work out exactly, by brute force.

    Every combination of values the hidden cells could take is tried: ``"<5"`` is any of 1 to
    4, ``"[c]"`` any whole number from the threshold up to the smallest shown total through it.
    Combinations that do not add up to every shown row and column total are dropped (a
    combination is abandoned as soon as a row or column can no longer add up). A hidden cell that
    has the same value in every remaining combination can be worked out by subtraction.

    Parameters
    ----------
    shown : DataFrame or Series
        A published table: text such as ``"1,234"``, ``"<5"``, ``"[c]"``, or numbers.
    rule : DisclosureRule, optional
        The rule the table was suppressed with (for the meaning of ``"[c]"``); default rule if
        omitted.
    row_total, col_total : label, optional
        As for :func:`suppress_table`.
    sensitive : bool, default False
        Whether the sensitive threshold was used.
    ceiling : int, optional
        Largest value to try for a ``"[c]"`` cell that no shown total bounds (e.g. the true
        grand total when it is hidden too). Knowing it only helps the search, so a table found
        safe with it is safe without it.

    Returns
    -------
    dict
        ``{(row, column): value}`` for each hidden cell with only one possible value; empty when
        the table is safe.

    Raises
    ------
    SlpError
        When a cell cannot be read, a ``"[c]"`` cell has no shown total to bound it, or no
        combination adds up (the table is inconsistent).
    """
    rule = rule or DisclosureRule()
    if isinstance(shown, pd.Series):
        shown = shown.to_frame(name=0 if shown.name is None else shown.name)
    row_total, col_total = _secondary.margins(shown, row_total, col_total)
    floor = rule.threshold_for(sensitive)
    fixed: dict[Cell, int] = {}
    ranges: dict[Cell, tuple[int, int | None]] = {}
    for column in shown.columns:
        for row, text in shown[column].items():
            low_high = read_cell(text, floor, row, column)
            if isinstance(low_high, int):
                fixed[(row, column)] = low_high
            else:
                ranges[(row, column)] = low_high
    grid = _secondary.Grid(None, row_total, col_total, cells=[*fixed, *ranges])
    lines = grid.lines()
    domains: dict[Cell, range] = {}
    for cell, (low, high) in ranges.items():
        if high is None:
            bounds = [fixed[line[1]] for line in lines if cell in line[0] and line[1] in fixed]
            bounds += [ceiling] if ceiling is not None else []
            if not bounds:
                raise SlpError(
                    f"recoverable_cells: hidden cell (row {cell[0]!r}, column {cell[1]!r}) has "
                    "no shown total to bound it; give a ceiling"
                )
            high = min(bounds)
        domains[cell] = range(low, high + 1)
    constraints = [(parts, total) for parts, total in lines]
    seen: dict[Cell, set[int]] = {cell: set() for cell in domains}
    found = enumerate_solutions(constraints, fixed, domains, {}, seen)
    if not found:
        raise SlpError("recoverable_cells: no values of the hidden cells add up to the totals")
    return {cell: next(iter(values)) for cell, values in seen.items() if len(values) == 1}


def is_recoverable(shown: pd.DataFrame | pd.Series, rule: DisclosureRule | None = None,
                   **options: Any) -> bool:
    """True when any hidden cell of a published table can be worked out exactly.

    See :func:`recoverable_cells` for the method and parameters.
    """
    return bool(recoverable_cells(shown, rule, **options))


def read_cell(text: Any, floor: int, row: Hashable, column: Hashable) -> int | tuple[int, Any]:
    """A shown cell as a fixed int, or the (low, high) range a hidden one could take."""
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return _secondary.as_count(text, f"recoverable_cells: column {column!r}, row {row!r}")
    value = str(text).strip()
    if value == SECONDARY_LABEL:
        return (floor, None)
    if value.startswith("<") and value[1:].isdigit():
        return (1, int(value[1:]) - 1)
    digits = value.replace(",", "")
    if digits.isdigit():
        return int(digits)
    raise SlpError(
        f"recoverable_cells: column {column!r}, row {row!r}: cannot read {value!r} (expected a "
        f"number, '<N' or '{SECONDARY_LABEL}')"
    )


def enumerate_solutions(
    constraints: list[tuple[list[Cell], Cell]],
    fixed: Mapping[Cell, int],
    domains: Mapping[Cell, range],
    assigned: dict[Cell, int],
    seen: dict[Cell, set[int]],
) -> int:
    """Depth-first search over hidden values; records every value in a full solution."""
    local = dict(assigned)
    changed = True
    while changed:
        changed = False
        for parts, total in constraints:
            members = [(cell, 1) for cell in parts] + [(total, -1)]
            known = 0
            free = []
            for cell, sign in members:
                if cell in fixed:
                    known += sign * fixed[cell]
                elif cell in local:
                    known += sign * local[cell]
                else:
                    free.append((cell, sign))
            if not free:
                if known != 0:
                    return 0
                continue
            if len(free) == 1:
                cell, sign = free[0]
                value = -known * sign
                if value not in domains[cell]:
                    return 0
                local[cell] = value
                changed = True
                continue
            low = known + sum(s * (d.start if s > 0 else d.stop - 1) for c, s in free
                              for d in [domains[c]])
            high = known + sum(s * (d.stop - 1 if s > 0 else d.start) for c, s in free
                               for d in [domains[c]])
            if not low <= 0 <= high:
                return 0
    free_cells = [cell for cell in domains if cell not in local]
    if not free_cells:
        for cell, value in local.items():
            seen[cell].add(value)
        return 1
    cell = min(free_cells, key=lambda c: len(domains[c]))
    found = 0
    for value in domains[cell]:
        found += enumerate_solutions(constraints, fixed, domains, {**local, cell: value}, seen)
    return found
