"""Secondary suppression for :func:`slp.disclosure.suppress_table` (private).

The cells of a table with its margins (:class:`Grid`), the rows and columns that add up, and
the search that hides partner cells until no hidden cell can be worked out from the totals
(see the :mod:`slp.disclosure` module docstring for the method).
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from slp.errors import SlpError

Cell = tuple[Hashable, Hashable]


def hide(grid: Grid, threshold: int) -> tuple[set[Cell], set[Cell]]:
    """(primary, hidden): the small cells, and every cell to hide so none can be worked out."""
    primary = {cell for cell, n in grid.values.items() if 0 < n < threshold}
    hidden = set(primary)
    _close_lines(grid, hidden)
    while exposed := _exposed_cells(grid, primary, hidden, threshold):
        if not _protect(grid, hidden, exposed):
            break  # every non-zero cell is hidden: see suppress_table's Notes
        _close_lines(grid, hidden)
    return primary, hidden


def is_missing(value: Any) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def as_count(value: Any, where: str) -> int:
    """A whole number of 0 or more, as int, or an SlpError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SlpError(f"{where}: expected a count (a whole number); found {value!r}")
    if is_missing(value) or value < 0 or float(value) != math.floor(float(value)):
        raise SlpError(f"{where}: expected a count (a whole number, 0 or more); found {value!r}")
    return int(value)


def margins(
    table: pd.DataFrame, row_total: Hashable | None, col_total: Hashable | None
) -> tuple[Hashable | None, Hashable | None]:
    """Read a total named only once, by a label that is a row but not a column (or the other
    way round), as the margin that label can be: ``row_total="Total"`` where ``"Total"`` is a
    row means the row of column totals."""
    if col_total is None and _only_in(row_total, table.index, table.columns):
        return None, row_total
    if row_total is None and _only_in(col_total, table.columns, table.index):
        return col_total, None
    return row_total, col_total


def _only_in(label: Hashable | None, these: pd.Index, not_these: pd.Index) -> bool:
    return label is not None and label in these and label not in not_these


def check_table(
    table: pd.DataFrame, row_total: Hashable | None, col_total: Hashable | None
) -> pd.DataFrame:
    """Validate counts and margins; return an int64 frame."""
    if row_total is not None and row_total not in table.columns:
        raise SlpError(
            f"suppress_table: row_total {row_total!r} is not a column; found columns "
            f"{', '.join(map(str, table.columns))}"
        )
    if col_total is not None and col_total not in table.index:
        raise SlpError(
            f"suppress_table: col_total {col_total!r} is not a row; found rows "
            f"{', '.join(map(str, table.index))}"
        )
    if not (table.index.is_unique and table.columns.is_unique):
        raise SlpError("suppress_table: row and column labels must be unique")
    values = pd.DataFrame(index=table.index, columns=table.columns, dtype="int64")
    for column in table.columns:
        for row, value in table[column].items():
            values.loc[row, column] = as_count(
                value, f"suppress_table: column {column!r}, row {row!r}"
            )
    row_lines = len(values.index) if row_total is not None else 0
    for k, (parts, (row, column)) in enumerate(Grid(values, row_total, col_total).lines()):
        total = values.loc[row, column]
        found = sum(int(values.loc[r, c]) for r, c in parts)
        if found != total:
            line, named = ((f"row {row!r}", f"({row_total!r})") if k < row_lines
                           else (f"column {column!r}", f"(row {col_total!r})"))
            raise SlpError(f"suppress_table: {line} adds up to {found:,} but its total "
                           f"{named} is {total:,}")
    return values


class Grid:
    """The cells of a table with margins and the lines (rows, columns) that add up."""

    def __init__(
        self,
        values: pd.DataFrame | None,
        row_total: Hashable | None,
        col_total: Hashable | None,
        cells: Iterable[Cell] | None = None,
    ) -> None:
        if values is not None:
            self.values: dict[Cell, int] = {
                (row, column): int(values.loc[row, column])
                for row in values.index
                for column in values.columns
            }
            self.rows = list(values.index)
            self.columns = list(values.columns)
        else:
            cell_list = list(cells or [])
            self.values = {}
            self.rows = list(dict.fromkeys(r for r, _ in cell_list))
            self.columns = list(dict.fromkeys(c for _, c in cell_list))
        self.row_total = row_total
        self.col_total = col_total
        self.order = {
            (row, column): i
            for i, (row, column) in enumerate(itertools.product(self.rows, self.columns))
        }

    def lines(self) -> list[tuple[list[Cell], Cell]]:
        """Every (parts, total) that must add up: rows first, then columns."""
        result = []
        if self.row_total is not None:
            parts_cols = [c for c in self.columns if c != self.row_total]
            for row in self.rows:
                result.append(([(row, c) for c in parts_cols], (row, self.row_total)))
        if self.col_total is not None:
            parts_rows = [r for r in self.rows if r != self.col_total]
            for column in self.columns:
                result.append(([(r, column) for r in parts_rows], (self.col_total, column)))
        return result


def _close_lines(grid: Grid, hidden: set[Cell]) -> None:
    """Hide cells until no row or column that adds up has exactly one hidden cell."""
    lines = grid.lines()
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = [*parts, total]
            if sum(cell in hidden for cell in members) != 1:
                continue
            choice = _pick_partner(grid, hidden, parts, total, lines)
            hidden.add(choice)
            changed = True


def _pick_partner(
    grid: Grid,
    hidden: set[Cell],
    parts: list[Cell],
    total: Cell,
    lines: list[tuple[list[Cell], Cell]],
) -> Cell:
    """The cell to hide beside a lone hidden cell in a line (see the module docstring)."""
    candidates = [c for c in parts if c not in hidden and grid.values[c] > 0]
    if not candidates and total not in hidden and grid.values[total] > 0:
        candidates = [total]
    if not candidates:  # cannot happen for a table whose totals add up
        raise SlpError("suppress_table: no cell can be hidden to protect a small count")

    def lone_elsewhere(cell: Cell) -> bool:
        for other_parts, other_total in lines:
            members = [*other_parts, other_total]
            if cell in members and (other_parts, other_total) != (parts, total):
                return sum(m in hidden for m in members) == 1
        return False

    return min(candidates, key=lambda c: (not lone_elsewhere(c), grid.values[c], grid.order[c]))


def _exposed_cells(grid: Grid, primary: set[Cell], hidden: set[Cell], floor: int) -> list[Cell]:
    """Hidden cells whose value is fixed by the shown totals (smallest-first by LP bounds)."""
    if not hidden:
        return []
    from scipy.optimize import linprog  # local import: only tables with hidden cells need it

    cells = sorted(hidden, key=grid.order.__getitem__)
    rows_eq, rhs = _equations(grid, hidden, cells)
    bounds = [(1, floor - 1) if cell in primary else (floor, None) for cell in cells]
    truth = np.array([grid.values[cell] for cell in cells], dtype=float)
    free = np.zeros(len(cells), dtype=bool)  # proven able to take another value

    def solve(objective: np.ndarray) -> Any:
        result = linprog(objective, A_eq=rows_eq, b_eq=rhs, bounds=bounds, method="highs")
        if result.status == 3:  # unbounded: no finite optimum to compare
            return None
        if not result.success:  # the true values are feasible, so this never happens
            raise SlpError("suppress_table: could not audit the hidden cells")
        free[np.abs(np.round(result.x) - truth) > 0.5] = True
        return result

    # Any feasible solution that differs from the truth in a cell proves that cell free; two
    # LPs with mixed weights usually prove most cells free at once.
    weights = np.array([1.0 + (i % 7) / 10 for i in range(len(cells))])
    solve(weights)
    solve(-weights)
    exposed = []
    for i, cell in enumerate(cells):
        if free[i]:
            continue
        objective = np.zeros(len(cells))
        objective[i] = 1.0
        high = solve(-objective)
        if high is None or free[i]:
            continue
        solve(objective)
        if not free[i]:
            exposed.append(cell)
    return exposed


def _equations(grid: Grid, hidden: set[Cell], cells: list[Cell]) -> tuple[list, list]:
    """The rows and columns through hidden cells as linear equations in those cells: the
    hidden parts minus a hidden total equal the shown total minus the shown parts."""
    index = {cell: i for i, cell in enumerate(cells)}
    rows_eq, rhs = [], []
    for parts, total in grid.lines():
        members = [(cell, 1) for cell in parts] + [(total, -1)]
        if not any(cell in hidden for cell, _ in members):
            continue
        coefficients = np.zeros(len(cells))
        known = 0
        for cell, sign in members:
            if cell in hidden:
                coefficients[index[cell]] = sign
            else:
                known += sign * grid.values[cell]
        rows_eq.append(coefficients)
        rhs.append(-known)
    return rows_eq, rhs


def _protect(grid: Grid, hidden: set[Cell], exposed: list[Cell]) -> bool:
    """Hide one more cell beside each exposed cell whose rows and columns gained nothing yet
    in this round (one audit then fixes many independent exposures)."""
    touched: set[Cell] = set()
    changed = False
    for cell in exposed:
        lines = [[*parts, total] for parts, total in grid.lines() if cell in parts or cell == total]
        if any(member in touched for line in lines for member in line):
            continue
        before = set(hidden)
        if _hide_beside(grid, hidden, cell):
            touched |= hidden - before
            changed = True
    return changed


def _hide_beside(grid: Grid, hidden: set[Cell], cell: Cell) -> bool:
    """Hide one more cell to protect an exposed ``cell``: the smallest non-zero shown cell in a
    row or column through it, else such a total, else the smallest non-zero shown cell
    anywhere. False when every non-zero cell is hidden already (nothing more can be done)."""
    lines = grid.lines()
    through = [(parts, total) for parts, total in lines if cell in parts or cell == total]
    candidates = [c for parts, _ in through for c in parts if c not in hidden and grid.values[c]]
    if not candidates:
        candidates = [t for _, t in through if t not in hidden and grid.values[t]]
    if not candidates:
        candidates = [c for c, n in grid.values.items() if c not in hidden and n]
    if not candidates:
        return False
    hidden.add(min(candidates, key=lambda c: (grid.values[c], grid.order[c])))
    return True
