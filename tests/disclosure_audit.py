"""Test-only audit of published outputs: can a reader work a hidden count out exactly?

:func:`recoverable_cells` checks a table with margins by brute force, independently of the
linear programming :func:`slp.disclosure.suppress_table` uses. :func:`audit_page` and
:func:`audit_figures` walk what a run publishes (tables, chart data tables, map tooltips,
``figures.json``) as text, the way a reader would: small counts in the clear, a rate or change
beside a hidden count, a rate elsewhere on the page for a row whose count is hidden, and hidden
cells fixed by a total printed on the page (a column's or a group's).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
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


# --- the walk: every published table, data table, tooltip and figures.json of a run -------------

#: A count column: crimes or offences in a period (not a rate, change or rank of them).
_COUNT = re.compile(r"crimes|offences|last 12 months|previous|february 2020|total number", re.I)
_NOT_COUNT = re.compile(r"rate|per 1,000|change|average|rank|residents|against|p-value|"
                        r"z-score|same at|published|this report|period|variation", re.I)
#: Columns of the earlier period (a change uses them; a rate does not).
_EARLIER = re.compile(r"previous|february 2020", re.I)
#: Values computed from the current count (count = rate x residents / 1,000).
_RATE = re.compile(r"rate|per 1,000|residents", re.I)
#: Values computed from both counts.
_CHANGE = re.compile(r"^change|against pre-pandemic", re.I)
_NUMBER = re.compile(r"^[+\-\u2212]?[\d,]*\.?\d+%?$")
_HIDDEN = re.compile(r"^<\d+$")
_TOTAL_ROWS = {"all crime", "london", "total"}


@dataclass
class PublishedTable:
    """One table as a reader sees it: where it came from, its headers and its rows of text."""

    where: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


class _Reader(HTMLParser):
    """Tables (``<th>``/``<td>`` text by row), SVG ``<title>`` tooltips and all text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.titles: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._title: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title).strip())
            self._title = None

    def handle_data(self, data):
        self.text.append(data)
        for part in (self._cell, self._title):
            if part is not None:
                part.append(data)


def read_page(html: str, where: str) -> tuple[list[PublishedTable], str]:
    """The tables (map tooltips as one more table) and the whole text of published HTML."""
    reader = _Reader()
    reader.feed(html)
    tables = [PublishedTable(f"{where} table {i + 1}", rows[0], rows[1:])
              for i, rows in enumerate(reader.tables) if rows]
    tooltips = [_tooltip_row(t) for t in reader.titles if ": " in t]
    if tooltips:
        header = ["Area", *[k for k, _ in tooltips[0][1:]]]
        tables.append(PublishedTable(f"{where} map tooltips", header,
                                     [[r[0], *[v for _, v in r[1:]]] for r in tooltips]))
    return tables, " ".join(reader.text)


def _tooltip_row(text: str) -> list:
    """``"Name, crimes per 1,000 residents: 9.1; Crimes, last 12 months: <5"`` as
    ``[name, (measure, value), (column, value)]``."""
    first, *rest = text.split("; ")
    label, value = first.rsplit(": ", 1)
    name, _, measure = label.partition(", ")
    return [name, (measure, value), *(tuple(part.rsplit(": ", 1)) for part in rest)]


def figures_table(payload: dict, key: str) -> PublishedTable:
    """A list of ``figures.json`` (headline, categories or dashboard) as a published table."""
    header = ["Row", "Total number", "Previous count", "Rate per 1,000", "Change"]
    rows = [[str(r.get("category") or r.get("measure") or r.get("months")), _text(r.get("count")),
             _text(r.get("previous_count")), _text(r.get("rate_per_1000")),
             _text(r.get("change_pct"))] for r in payload.get(key, [])]
    return PublishedTable(f"figures.json {key}", header, rows)


def _text(value: Any) -> str:
    if value is None:
        return "[x]"
    if isinstance(value, str):
        return value
    return f"{value:,}" if isinstance(value, int) else f"{value}"


def _number(text: str) -> float | None:
    text = text.replace("\u2212", "-").strip()
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "").replace("%", ""))


def _columns(table: PublishedTable) -> tuple[list[int], list[int], list[int]]:
    """Indexes of the count, rate-like and change columns (the first column is a label)."""
    counts, rates, changes = [], [], []
    for j, name in enumerate(table.header):
        if j == 0 or "london" in name.lower():
            continue
        if _COUNT.search(name) and not _NOT_COUNT.search(name):
            counts.append(j)
        elif _CHANGE.search(name):
            changes.append(j)
        elif _RATE.search(name):
            rates.append(j)
    return counts, rates, changes


_MARKERS = re.compile(r"^(?:\[x\]|n/a|-|suppressed|=\d+|)$")


def _labels(row: list[str]) -> set[str]:
    """The text that names a row (a ward, a category), not its numbers or markers."""
    return {c for c in row if _number(c) is None and not _hidden(c) and not _MARKERS.match(c)}


def _hidden(text: str) -> bool:
    return bool(_HIDDEN.match(text)) or text == SECONDARY_LABEL


def leaks_in_table(table: PublishedTable, threshold: int
                   ) -> tuple[list[str], set[frozenset[str]]]:
    """Small counts in the clear, and rates or changes shown beside a hidden count. Also
    returns the labels of each row whose current count is hidden (for the other tables)."""
    counts, rates, changes = _columns(table)
    found, hidden_rows = [], set()
    for row in table.rows:
        if len(row) != len(table.header):
            continue
        current = [j for j in counts if not _EARLIER.search(table.header[j])]
        for j in counts:
            value = _number(row[j])
            if value is not None and 0 < value < threshold:
                found.append(f"{table.where}: {row[0]!r} shows {table.header[j]} = {row[j]}")
        now_hidden = any(_hidden(row[j]) for j in current)
        any_hidden = any(_hidden(row[j]) for j in counts)
        if now_hidden:
            hidden_rows.add(frozenset(_labels(row)))
        for j in rates if now_hidden else []:
            if _number(row[j]) is not None:
                found.append(f"{table.where}: {row[0]!r} shows {table.header[j]} = {row[j]} "
                             "beside a hidden count")
        for j in changes if any_hidden else []:
            if _number(row[j]) is not None:
                found.append(f"{table.where}: {row[0]!r} shows {table.header[j]} = {row[j]} "
                             "beside a hidden count")
    return found, hidden_rows


def rates_of_hidden_rows(table: PublishedTable, hidden_rows: set[frozenset[str]]) -> list[str]:
    """A rate shown anywhere on the page for a row (a ward, a category) whose count is hidden:
    a row named by all the labels of a row with a hidden count (and perhaps more)."""
    _, rates, _ = _columns(table)
    return [f"{table.where}: {row[0]!r} shows {table.header[j]} = {row[j]}, but its count is "
            "hidden elsewhere on the page"
            for row in table.rows if len(row) == len(table.header)
            and any(labels <= _labels(row) for labels in hidden_rows if labels)
            and not any(_hidden(c) for c in row)
            for j in rates if _number(row[j]) is not None]


def known_sums(table: PublishedTable, truth: PublishedTable | None, text: str
               ) -> list[tuple[int, list[int], int]]:
    """(column, rows, total) for every sum of a count column a reader can read off the page:
    the column's total or the total of a group of rows (the first column's value), found by
    looking for the true sum, from the internal run, among the page's numbers."""
    if truth is None:
        return []
    keyed = {tuple(sorted(_labels(r))): r for r in truth.rows}
    counts, _, _ = _columns(table)
    sums = []
    for j in counts:
        rows = [i for i, r in enumerate(table.rows) if len(r) == len(table.header)
                and r[0].lower() not in _TOTAL_ROWS and tuple(sorted(_labels(r))) in keyed]
        groups = {"": rows} | {
            table.rows[i][0]: [k for k in rows if table.rows[k][0] == table.rows[i][0]]
            for i in rows if len(_labels(table.rows[i])) > 1}
        # a group is several rows under one label (the detailed categories of a category)
        groups = {k: v for k, v in groups.items() if k == "" or len(v) > 1}
        for members in groups.values():
            values = [_number(keyed[tuple(sorted(_labels(table.rows[i])))][j]) for i in members]
            if not members or any(v is None for v in values):
                continue
            total = int(sum(values))
            if re.search(rf"(?<![\d,.]){re.escape(f'{total:,}')}(?![\d,]|\.\d)", text):
                sums.append((j, members, total))
    return sums


def solved_by_sums(table: PublishedTable, sums, threshold: int) -> list[str]:
    """Hidden cells fixed by a known sum: with the others' ranges (``<5`` is 1 to 4, ``[c]`` at
    least the threshold), a cell whose smallest and largest possible values meet is known."""
    found = []
    for j, members, total in sums:
        cells = [table.rows[i][j] for i in members]
        hidden = [(i, c) for i, c in zip(members, cells, strict=True) if _hidden(c)]
        if not hidden or any(_number(c) is None for c in cells if not _hidden(c)):
            continue
        rest = total - sum(int(_number(c)) for c in cells if not _hidden(c))
        ranges = [(1, int(c[1:]) - 1) if c.startswith("<") else (threshold, rest)
                  for _, c in hidden]
        for k, (i, _) in enumerate(hidden):
            low_others = sum(lo for m, (lo, _) in enumerate(ranges) if m != k)
            high_others = sum(hi for m, (_, hi) in enumerate(ranges) if m != k)
            low = max(ranges[k][0], rest - high_others)
            high = min(ranges[k][1], rest - low_others)
            if low == high:
                found.append(f"{table.where}: {table.rows[i][0]!r} {table.header[j]} is "
                             f"{low}, from the total {total:,} shown on the page")
    return found


def audit_page(public: list[tuple[str, str]], internal: dict[str, str], threshold: int,
               elsewhere: str = "") -> list[str]:
    """Every leak on one page: ``public`` is [(section, html)], ``internal`` the same sections
    for the internal audience (the truth the sums are checked against); ``elsewhere`` is the
    text of everything else the run publishes, where a total may be printed too."""
    tables, texts = [], []
    truths: dict[str, PublishedTable] = {}
    for name, html in public:
        found, text = read_page(html, name)
        tables += found
        texts.append(text)
        for t in read_page(internal[name], name)[0]:
            truths[t.where] = t
    text = " ".join([*texts, elsewhere])
    leaks, hidden_rows = [], set()
    for table in tables:
        found, rows = leaks_in_table(table, threshold)
        leaks += found
        hidden_rows |= rows
        sums = known_sums(table, truths.get(table.where), text)
        leaks += solved_by_sums(table, sums, threshold)
    for table in tables:
        leaks += rates_of_hidden_rows(table, hidden_rows)
    return leaks


def audit_figures(payload: dict, threshold: int) -> list[str]:
    """``figures.json``: small counts, derived values beside hidden ones, and the categories
    against the headline's 12-month totals."""
    leaks = []
    head = payload["headline"][0] if payload.get("headline") else {}
    for key in ("headline", "categories", "dashboard"):
        table = figures_table(payload, key)
        leaks += leaks_in_table(table, threshold)[0]
        if key == "categories" and head:
            rows = list(range(len(table.rows)))
            sums = [(j, rows, head[k]) for j, k in ((1, "count"), (2, "previous_count"))
                    if isinstance(head.get(k), int)]
            leaks += solved_by_sums(table, sums, threshold)
        if key == "dashboard":
            leaks += solved_by_sums(table, _strand_sums(payload.get(key, [])), threshold)
    return leaks


#: Racist and religious hate crime is racist or faith hate crime: with it published, the pair
#: must not give a hidden one away.
_ADDS_UP = {"hate_crime_racist_and_religious": ("hate_crime_racist", "hate_crime_faith")}


def _strand_sums(rows: list[dict]) -> list:
    """(column, rows, total) for each measure of ``rows`` that adds up to another shown."""
    where = {r.get("measure"): i for i, r in enumerate(rows)}
    sums = []
    for total, parts in _ADDS_UP.items():
        if total in where and all(p in where for p in parts):
            for j, k in ((1, "count"), (2, "previous_count")):
                if isinstance(rows[where[total]].get(k), int):
                    sums.append((j, [where[p] for p in parts], rows[where[total]][k]))
    return sums
