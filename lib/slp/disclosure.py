"""Statistical disclosure control for published counts: small numbers shown as ``"<5"``.

Published outputs (tables, the data tables under charts, map tooltips and ``figures.json``) must
not let a reader learn that a small number of crimes (1 to 4 by default) happened in a small
place. This module does that in two steps:

*Primary suppression.* A count from 1 to ``threshold - 1`` is replaced by ``"<threshold"``
(``"<5"``). Zero is shown: it is standard practice, and hiding it protects nobody.
Domestic abuse and sexual offences at ward level use the stricter ``sensitive_threshold``
(``"<10"``).

*Secondary suppression* (:func:`suppress_table`). When a table also shows totals, one hidden
cell in a row could be worked out as the total minus the other cells. So in every row and
column with exactly one hidden cell, one more cell is hidden and marked ``"[c]"``
("confidential", as in ONS tables): the smallest non-zero cell, preferring one whose crossing
row or column also has exactly one hidden cell, so that one extra cell protects both. That is
repeated until no row or column has exactly one hidden cell. Last, every hidden cell is audited:
its smallest and largest possible values given everything shown (the totals, ``"<5"`` means 1
to 4, ``"[c]"`` means at least 5) are found by linear programming, and while any hidden cell
has only one possible value, another cell next to it is hidden. :func:`recoverable_cells`
checks the same thing by brute force, independently, for tests and audits.

An ``internal`` audience turns all of this off.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from slp.errors import ParamsError, SlpError
from slp.params import AUDIENCES

#: Shown in place of a cell hidden only to protect another (secondary suppression).
SECONDARY_LABEL = "[c]"

Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class DisclosureRule:
    """Which counts a published output may show.

    Attributes
    ----------
    threshold : int
        Counts from 1 to ``threshold - 1`` are hidden and shown as ``"<threshold"``; default 5.
    sensitive_threshold : int
        The threshold for sensitive counts (domestic abuse and sexual offences at ward level);
        default 10.
    audience : str
        ``"public"`` (suppression on) or ``"internal"`` (suppression off).

    Examples
    --------
    >>> DisclosureRule().label()
    '<5'
    >>> DisclosureRule(audience="internal").active
    False
    """

    threshold: int = 5
    sensitive_threshold: int = 10
    audience: str = "public"

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ParamsError(
                f"disclosure: audience '{self.audience}' is not one of {', '.join(AUDIENCES)}"
            )
        for name in ("threshold", "sensitive_threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ParamsError(
                    f"disclosure: {name} must be a whole number of at least 1; found {value!r}"
                )

    @classmethod
    def from_params(cls, params: Any) -> DisclosureRule:
        """Build the rule from validated run parameters (``params.audience`` and
        ``params.disclosure.threshold`` / ``.sensitive_threshold``)."""
        disclosure = params.disclosure
        return cls(
            threshold=disclosure.threshold,
            sensitive_threshold=disclosure.sensitive_threshold,
            audience=params.audience,
        )

    @property
    def active(self) -> bool:
        """True when counts are suppressed (the public audience)."""
        return self.audience == "public"

    def threshold_for(self, sensitive: bool = False) -> int:
        """The threshold that applies: ``sensitive_threshold`` for sensitive counts."""
        return self.sensitive_threshold if sensitive else self.threshold

    def label(self, sensitive: bool = False) -> str:
        """The text shown for a hidden small count, e.g. ``"<5"``."""
        return f"<{self.threshold_for(sensitive)}"

    def hides(self, n: Any, sensitive: bool = False) -> bool:
        """True when the count ``n`` must not be published under this rule."""
        if not self.active or _is_missing(n):
            return False
        return 0 < float(n) < self.threshold_for(sensitive)


class Suppressed(NamedTuple):
    """What a suppression function returns; unpacks as ``shown, mask = ...``.

    Attributes
    ----------
    shown : DataFrame or Series
        Same shape and labels as the input, object dtype: counts, or the text shown instead.
    mask : DataFrame or Series of bool
        True where a value is hidden.
    """

    shown: pd.DataFrame | pd.Series
    mask: pd.DataFrame | pd.Series


def suppress_value(n: Any, rule: DisclosureRule, sensitive: bool = False) -> int | str:
    """Return a single count as it may be published: the number, or ``"<5"``.

    For one-off figures in the words of a report and in ``figures.json``. Use
    :func:`suppress_table` when the figure is shown beside totals it adds up to.

    Parameters
    ----------
    n : int
        A count of crimes (a whole number, 0 or more).
    rule : DisclosureRule
        The disclosure rule in force.
    sensitive : bool, default False
        Use the stricter ``sensitive_threshold``.

    Returns
    -------
    int or str
        ``n`` as an int, or the label (``"<5"``) when it must be hidden.

    Raises
    ------
    SlpError
        When ``n`` is not a whole number of 0 or more.

    Examples
    --------
    >>> suppress_value(3, DisclosureRule())
    '<5'
    >>> suppress_value(0, DisclosureRule())
    0
    """
    count = _as_count(n, "suppress_value")
    return rule.label(sensitive) if rule.hides(count, sensitive) else count


def suppress_counts(
    counts: pd.Series | pd.DataFrame, rule: DisclosureRule, *, sensitive: bool = False
) -> Suppressed:
    """Hide small counts (primary suppression only) in a Series or DataFrame.

    Use this for counts shown without totals they add up to (map tooltips, one count per area).
    When totals are shown too, use :func:`suppress_table`, which also hides the cells a total
    would give away.

    Parameters
    ----------
    counts : Series or DataFrame
        Counts of crimes (whole numbers, 0 or more); missing values are left missing.
    rule : DisclosureRule
        The disclosure rule in force.
    sensitive : bool, default False
        Use the stricter ``sensitive_threshold``.

    Returns
    -------
    Suppressed
        ``shown``: object-dtype copy where hidden counts are the label (``"<5"``) and the others
        are ints; ``mask``: True where hidden. For the internal audience ``shown`` is ``counts``
        itself, unchanged, and ``mask`` is all False.

    Raises
    ------
    SlpError
        When a value is negative or not a whole number.

    Examples
    --------
    >>> shown, mask = suppress_counts(pd.Series([0, 3, 12]), DisclosureRule())
    >>> shown.tolist(), mask.tolist()
    ([0, '<5', 12], [False, True, False])
    """
    if isinstance(counts, pd.Series):
        frame = counts.to_frame()
    elif isinstance(counts, pd.DataFrame):
        frame = counts
    else:
        raise SlpError(
            f"suppress_counts: expected a pandas Series or DataFrame; found {type(counts).__name__}"
        )
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if not rule.active:
        return Suppressed(counts, mask.iloc[:, 0] if isinstance(counts, pd.Series) else mask)
    label = rule.label(sensitive)
    shown = frame.astype(object).copy()
    for j, column in enumerate(frame.columns):
        for i, value in enumerate(frame.iloc[:, j]):
            if _is_missing(value):
                continue
            count = _as_count(value, f"suppress_counts: column {column!r}, row {frame.index[i]!r}")
            hide = rule.hides(count, sensitive)
            shown.iat[i, j] = label if hide else count
            mask.iat[i, j] = hide
    if isinstance(counts, pd.Series):
        return Suppressed(shown.iloc[:, 0].rename(counts.name), mask.iloc[:, 0].rename(counts.name))
    return Suppressed(shown, mask)


def suppress_table(
    table: pd.DataFrame | pd.Series,
    rule: DisclosureRule,
    *,
    row_total: Hashable | None = None,
    col_total: Hashable | None = None,
    sensitive: bool = False,
) -> Suppressed:
    """Hide small counts in a table with totals, and the cells that would give them away.

    Method: primary suppression hides every count from 1 to ``threshold - 1`` (totals
    included). Secondary suppression then looks at each row whose total is shown (the
    ``row_total`` column) and each column whose total is shown (the ``col_total`` row),
    totals' own row and column included. Where exactly one cell is hidden, it could be worked out
    by subtraction, so one more cell is hidden: the smallest non-zero cell of that row or column,
    preferring one whose crossing column or row also has exactly one hidden cell (one extra cell
    then protects both); a total is hidden only when no other cell can be. This repeats until no
    row or column has exactly one hidden cell. Finally each hidden cell's possible range, given
    everything shown, is worked out by linear programming; while any hidden cell has only one
    possible value, the smallest non-zero shown cell in a row or column through it is hidden too.

    Parameters
    ----------
    table : DataFrame or Series
        Counts (whole numbers, 0 or more), including the margins named below. A Series is
        treated as one column of parts and its total (name the total's label in ``col_total``),
        e.g. a borough's crime categories and its total.
    rule : DisclosureRule
        The disclosure rule in force.
    row_total : label, optional
        The column holding each row's total (e.g. ``"Total"``), when row totals are shown.
    col_total : label, optional
        The row (index label) holding each column's total, when column totals are shown.
        When only one of the two is given and its label is a row but not a column (or a column
        but not a row), it is read as the margin that label can be.
    sensitive : bool, default False
        Use the stricter ``sensitive_threshold``.

    Returns
    -------
    Suppressed
        ``shown``: object-dtype frame (or Series) of text ready to publish: numbers with
        thousands separators (``"1,234"``), ``"<5"`` for small counts and ``"[c]"`` for cells
        hidden to protect them; ``mask``: True for every hidden cell. For the internal audience
        nothing is hidden.

    Raises
    ------
    SlpError
        When a value is missing, negative or not whole, when a named total is not in the table,
        or when a total does not equal the sum of its parts.

    Notes
    -----
    If totals are published elsewhere (another table, the words of the report), include them
    here as margins so that they are protected against, and drop them before display.

    A table made only of small numbers cannot be fully protected this way: once every non-zero
    cell is hidden the method stops, and such a table can still tell a reader that, e.g., a
    ``"<5"`` total over four ``"<5"`` cells means 1 in each. Do not publish such a table.

    Examples
    --------
    A row total is shown, so hiding the 3 alone would not do (33 - 10 - 20 = 3); the next
    smallest cell, 10, is hidden too:

    >>> t = pd.DataFrame({"A": [3], "B": [10], "C": [20], "Total": [33]})
    >>> suppress_table(t, DisclosureRule(), row_total="Total").shown.iloc[0].tolist()
    ['<5', '[c]', '20', '33']
    """
    series_name = None
    is_series = isinstance(table, pd.Series)
    if is_series:
        series_name = table.name
        table = table.to_frame(name=0 if table.name is None else table.name)
    if not isinstance(table, pd.DataFrame):
        raise SlpError(
            f"suppress_table: expected a pandas DataFrame or Series; found {type(table).__name__}"
        )
    row_total, col_total = _margins(table, row_total, col_total)
    counts = _check_table(table, row_total, col_total)
    grid = _Grid(counts, row_total, col_total)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    if rule.active:
        t = rule.threshold_for(sensitive)
        primary = {cell for cell, n in grid.values.items() if 0 < n < t}
        hidden = set(primary)
        _close_lines(grid, hidden)
        while exposed := _exposed_cells(grid, primary, hidden, t):
            if not _protect(grid, hidden, exposed):
                break  # every non-zero cell is hidden: see Notes
            _close_lines(grid, hidden)
        for row, column in hidden:
            mask.loc[row, column] = True
    else:
        primary = set()
    shown = pd.DataFrame(index=table.index, columns=table.columns, dtype=object)
    label = rule.label(sensitive)
    for (row, column), n in grid.values.items():
        if mask.loc[row, column]:
            shown.loc[row, column] = label if (row, column) in primary else SECONDARY_LABEL
        else:
            shown.loc[row, column] = f"{n:,}"
    if is_series:
        return Suppressed(shown.iloc[:, 0].rename(series_name), mask.iloc[:, 0].rename(series_name))
    return Suppressed(shown, mask)


def suppression_note(rule: DisclosureRule, sensitive: bool = False, secondary: bool = True) -> str:
    """A note for a table explaining ``"<5"`` (and ``"[c]"``); empty for the internal audience.

    Parameters
    ----------
    rule : DisclosureRule
    sensitive : bool, default False
        Explain the sensitive threshold.
    secondary : bool, default True
        Also explain ``"[c]"`` (tables from :func:`suppress_table`).
    """
    if not rule.active:
        return ""
    t = rule.threshold_for(sensitive)
    text = (
        f"'{rule.label(sensitive)}' means between 1 and {t - 1}; numbers this small are not "
        f"published, to protect the people involved."
    )
    if secondary:
        text += (
            f" '{SECONDARY_LABEL}' marks a number withheld so that a '{rule.label(sensitive)}' "
            f"cannot be worked out from the totals."
        )
    return text


def suppress_columns(frame: pd.DataFrame, columns: Iterable[Hashable], rule: DisclosureRule, *,
                     sensitive: bool = False, totals_shown: bool = False
                     ) -> tuple[pd.DataFrame, str]:
    """Suppress the small counts in some columns of a table shown to readers.

    Parameters
    ----------
    frame : DataFrame
        The table; ``columns`` hold whole counts.
    columns : labels
        The count columns to protect.
    rule : DisclosureRule
    sensitive : bool, default False
        Use the sensitive threshold.
    totals_shown : bool, default False
        The column's sum appears elsewhere (e.g. the headline total): also hide the cells a
        subtraction from that total would give away (secondary suppression).

    Returns
    -------
    (DataFrame, str)
        A copy with hidden cells as text (``"<5"``, ``"[c]"``) and the rest still numbers, and
        the note explaining the symbols (empty when nothing is hidden).
    """
    out = frame.copy()
    hidden_any = False
    for column in columns:
        values = out[column].astype("int64")
        if totals_shown and rule.active:
            table = values.to_frame(column)
            table.loc["__total__"] = int(values.sum())
            shown, mask = suppress_table(table, rule, col_total="__total__", sensitive=sensitive)
            shown, mask = shown[column].drop("__total__"), mask[column].drop("__total__")
        else:
            shown, mask = suppress_counts(values, rule, sensitive=sensitive)
        out[column] = values.astype(object).where(~mask.to_numpy(), shown.to_numpy())
        hidden_any = hidden_any or bool(mask.to_numpy().any())
    if not hidden_any:
        return out, ""
    return out, (suppression_note(rule, sensitive) + " '[x]' marks a change or rate withheld "
                 "because it would reveal a suppressed number.")


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
    row_total, col_total = _margins(shown, row_total, col_total)
    floor = rule.threshold_for(sensitive)
    fixed: dict[Cell, int] = {}
    ranges: dict[Cell, tuple[int, int | None]] = {}
    for column in shown.columns:
        for row, text in shown[column].items():
            low_high = _read_cell(text, floor, row, column)
            if isinstance(low_high, int):
                fixed[(row, column)] = low_high
            else:
                ranges[(row, column)] = low_high
    grid = _Grid(None, row_total, col_total, cells=[*fixed, *ranges])
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
    found = _enumerate(constraints, fixed, domains, {}, seen)
    if not found:
        raise SlpError("recoverable_cells: no values of the hidden cells add up to the totals")
    return {cell: next(iter(values)) for cell, values in seen.items() if len(values) == 1}


def is_recoverable(
    shown: pd.DataFrame | pd.Series,
    rule: DisclosureRule | None = None,
    *,
    row_total: Hashable | None = None,
    col_total: Hashable | None = None,
    sensitive: bool = False,
    ceiling: int | None = None,
) -> bool:
    """True when any hidden cell of a published table can be worked out exactly.

    See :func:`recoverable_cells` for the method and parameters.
    """
    return bool(
        recoverable_cells(
            shown, rule, row_total=row_total, col_total=col_total, sensitive=sensitive,
            ceiling=ceiling,
        )
    )


# --- internals -------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _as_count(value: Any, where: str) -> int:
    """A whole number of 0 or more, as int, or an SlpError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SlpError(f"{where}: expected a count (a whole number); found {value!r}")
    if _is_missing(value) or value < 0 or float(value) != math.floor(float(value)):
        raise SlpError(f"{where}: expected a count (a whole number, 0 or more); found {value!r}")
    return int(value)


def _margins(
    table: pd.DataFrame, row_total: Hashable | None, col_total: Hashable | None
) -> tuple[Hashable | None, Hashable | None]:
    """Read a total named only once, by a label that is a row but not a column (or the other
    way round), as the margin that label can be: ``row_total="Total"`` where ``"Total"`` is a
    row means the row of column totals."""
    if (
        col_total is None
        and row_total is not None
        and row_total not in table.columns
        and row_total in table.index
    ):
        return None, row_total
    if (
        row_total is None
        and col_total is not None
        and col_total not in table.index
        and col_total in table.columns
    ):
        return col_total, None
    return row_total, col_total


def _check_table(
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
            values.loc[row, column] = _as_count(
                value, f"suppress_table: column {column!r}, row {row!r}"
            )
    parts_cols = [c for c in table.columns if c != row_total]
    parts_rows = [r for r in table.index if r != col_total]
    if row_total is not None:
        for row in table.index:
            total = values.loc[row, row_total]
            found = int(values.loc[row, parts_cols].sum())
            if found != total:
                raise SlpError(
                    f"suppress_table: row {row!r} adds up to {found:,} but its total "
                    f"({row_total!r}) is {total:,}"
                )
    if col_total is not None:
        for column in table.columns:
            total = values.loc[col_total, column]
            found = int(values.loc[parts_rows, column].sum())
            if found != total:
                raise SlpError(
                    f"suppress_table: column {column!r} adds up to {found:,} but its total "
                    f"(row {col_total!r}) is {total:,}"
                )
    return values


class _Grid:
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


def _close_lines(grid: _Grid, hidden: set[Cell]) -> None:
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
    grid: _Grid,
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


def _exposed_cells(grid: _Grid, primary: set[Cell], hidden: set[Cell], floor: int) -> list[Cell]:
    """Hidden cells whose value is fixed by the shown totals (smallest-first by LP bounds)."""
    if not hidden:
        return []
    from scipy.optimize import linprog  # local import: only tables with hidden cells need it

    cells = sorted(hidden, key=grid.order.__getitem__)
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


def _protect(grid: _Grid, hidden: set[Cell], exposed: list[Cell]) -> bool:
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


def _hide_beside(grid: _Grid, hidden: set[Cell], cell: Cell) -> bool:
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


def _read_cell(text: Any, floor: int, row: Hashable, column: Hashable) -> int | tuple[int, Any]:
    """A shown cell as a fixed int, or the (low, high) range a hidden one could take."""
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return _as_count(text, f"recoverable_cells: column {column!r}, row {row!r}")
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


def _enumerate(
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
        found += _enumerate(constraints, fixed, domains, {**local, cell: value}, seen)
    return found
