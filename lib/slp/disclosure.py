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
has only one possible value, another cell next to it is hidden (the tests check the same
thing independently, by brute force).

*Derived values* (:func:`publish`). A rate, a percentage change, a share or the residents
beside a hidden count would give it back (count = rate x residents / 1,000), so each is withheld
in the rows where a count it was computed from is hidden. A change from 0 is undefined, not
withheld, and is shown as ``"n/a"``. Every published table, chart data table, map tooltip and
``figures.json`` goes through :func:`publish`.

An ``internal`` audience turns all of this off.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from slp import _secondary
from slp.errors import ParamsError, SlpError
from slp.params import AUDIENCES

#: Shown in place of a cell hidden only to protect another (secondary suppression).
SECONDARY_LABEL = "[c]"



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
        if not self.active or _secondary.is_missing(n):
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
    return _shown(n, rule, sensitive, "suppress_value")


def _shown(n: Any, rule: DisclosureRule, sensitive: bool, where: str) -> int | str:
    count = _secondary.as_count(n, where)
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
    shown = frame.astype(object).copy()
    for j, column in enumerate(frame.columns):
        for i, value in enumerate(frame.iloc[:, j]):
            if _secondary.is_missing(value):
                continue
            where = f"suppress_counts: column {column!r}, row {frame.index[i]!r}"
            shown.iat[i, j] = _shown(value, rule, sensitive, where)
            mask.iat[i, j] = isinstance(shown.iat[i, j], str)
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
    row_total, col_total = _secondary.margins(table, row_total, col_total)
    counts = _secondary.check_table(table, row_total, col_total)
    grid = _secondary.Grid(counts, row_total, col_total)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    primary: set = set()
    if rule.active:
        primary, hidden = _secondary.hide(grid, rule.threshold_for(sensitive))
        for row, column in hidden:
            mask.loc[row, column] = True
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


#: Shown for a percentage change from nothing (no crimes in the earlier period): undefined,
#: not withheld.
UNDEFINED_LABEL = "n/a"

#: Shown (by :mod:`slp.tables`, for a missing value) where a rate or change is withheld.
WITHHELD_LABEL = "[x]"

WITHHELD_NOTE = (f" '{WITHHELD_LABEL}' marks a change or rate withheld because it would reveal "
                 "a suppressed number.")
UNDEFINED_NOTE = (f"'{UNDEFINED_LABEL}': no crimes in the previous period, so no percentage "
                  "change.")


class Published(NamedTuple):
    """What :func:`publish` returns; unpacks as ``frame, hidden, notes = ...``.

    Attributes
    ----------
    frame : DataFrame
        The table as it may be shown: hidden counts as ``"<5"`` or ``"[c]"``, withheld derived
        values as missing (written ``"[x]"`` by :func:`slp.tables.html_table`), undefined
        changes as ``"n/a"``; everything else unchanged.
    hidden : DataFrame of bool
        True for every suppressed count and every withheld derived value.
    notes : list of str
        The notes a reader needs for the symbols used (empty when none is used).
    """

    frame: pd.DataFrame
    hidden: pd.DataFrame
    notes: list[str]


def publish(frame: pd.DataFrame, *, counts: Sequence[Hashable], rule: DisclosureRule,
            derived: Mapping[Hashable, Hashable | Sequence[Hashable]] | None = None,
            changes: Mapping[Hashable, tuple[Hashable, Hashable]] | None = None,
            sensitive: bool = False, totals_shown: bool = False) -> Published:
    """The one way a table of counts reaches a reader: small counts suppressed, and every value
    that would give one back withheld.

    Every table, chart data table, map tooltip and ``figures.json`` goes through this function.

    Parameters
    ----------
    frame : DataFrame
        The table as computed (whole counts in ``counts``; missing values allowed).
    counts : labels
        The count columns: values from 1 to ``threshold - 1`` are shown as ``"<5"``.
    rule : DisclosureRule
        The rule in force; for the internal audience nothing is hidden.
    derived : mapping, optional
        ``{column: count column(s)}``: values computed from counts (a rate, a share, an
        absolute change, the residents a rate was computed with). Withheld in every row where
        one of its counts is hidden, since e.g. count = rate x residents / 1,000.
    changes : mapping, optional
        ``{column: (current, previous)}``: percentage changes. Withheld like ``derived``; where
        the previous count is 0 the change is undefined and shown as ``"n/a"``.
    sensitive : bool, default False
        Use the stricter ``sensitive_threshold``.
    totals_shown : bool, default False
        The columns' sums appear elsewhere (e.g. the headline total): also hide the cells a
        subtraction from that total would give away (secondary suppression, ``"[c]"``).

    Returns
    -------
    Published

    Examples
    --------
    >>> t = pd.DataFrame({"Now": [3, 12], "Before": [0, 10], "Change": [None, 20.0]})
    >>> out = publish(t, counts=["Now", "Before"], changes={"Change": ("Now", "Before")},
    ...               rule=DisclosureRule())
    >>> out.frame["Now"].tolist(), out.frame["Change"].tolist()
    (['<5', 12], [None, 20.0])
    """
    out = frame.copy()
    hidden = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for column in counts:
        shown, mask = _suppress_column(out[column], rule, sensitive, totals_shown)
        out[column] = out[column].astype(object).where(~mask.to_numpy(), shown.to_numpy())
        hidden[column] = mask.to_numpy()
    derived = dict(derived or {})
    derived.update(changes or {})
    for column, sources in derived.items():
        sources = [sources] if isinstance(sources, str) or not isinstance(sources, Sequence) \
            else list(sources)
        withheld = hidden[sources].any(axis=1).to_numpy()
        out[column] = out[column].astype(object).where(~withheld, None)
        hidden[column] = withheld
    undefined = False
    for column, (_, previous) in (changes or {}).items():
        zero = (~hidden[column] & (frame[previous] == 0)).to_numpy()
        out.loc[zero, column] = UNDEFINED_LABEL
        undefined = undefined or bool(zero.any())
    notes = []
    if hidden[list(counts)].to_numpy().any():
        notes.append(suppression_note(rule, sensitive) + WITHHELD_NOTE)
    if undefined:
        notes.append(UNDEFINED_NOTE)
    return Published(out, hidden, notes)


def publish_records(records: Sequence[Mapping[str, Any]], rule: DisclosureRule, *,
                    counts: Sequence[str] = ("count", "previous_count"),
                    derived: Mapping[str, str | Sequence[str]] | None = None,
                    changes: Mapping[str, tuple[str, str]] | None = None,
                    totals_shown: bool = False) -> list[dict]:
    """:func:`publish` for figures held as dicts (``figures.json``, the rows words are written
    from); missing values come back as ``None``. Keys not in a record are left out."""
    if not records:
        return []
    frame = pd.DataFrame([dict(r) for r in records])
    present = set(frame.columns)
    counts = [c for c in counts if c in present]
    frame[counts] = frame[counts].astype(object)
    derived = {k: v for k, v in (derived or {}).items() if k in present}
    changes = {k: v for k, v in (changes or {}).items() if k in present and set(v) <= present}
    shown = publish(frame, counts=counts, rule=rule, derived=derived, changes=changes,
                    totals_shown=totals_shown).frame
    rows = []
    for record, row in zip(records, shown.to_dict("records"), strict=True):
        rows.append({k: (None if _secondary.is_missing(v) else v) for k, v in row.items()
                     if k in record})
    return rows


def _suppress_column(values: pd.Series, rule: DisclosureRule, sensitive: bool,
                     totals_shown: bool) -> Suppressed:
    """One count column: primary suppression, and secondary against its total when shown.
    Missing values are left as they are."""
    present = values.notna().to_numpy()
    where = f"publish: column {values.name!r}"
    counts = pd.Series([_secondary.as_count(v, where) for v in values[present]], dtype="int64")
    if totals_shown and rule.active and len(counts):
        table = counts.to_frame("n")
        table.loc["__total__"] = int(table["n"].sum())
        labels, flags = suppress_table(table, rule, col_total="__total__", sensitive=sensitive)
        flags = flags["n"].drop("__total__").to_numpy()
        labels = labels["n"].drop("__total__").to_numpy()
        part = [label if flag else int(n) for label, flag, n in zip(labels, flags, counts,
                                                                     strict=True)]
    else:
        part_values, part_flags = suppress_counts(counts, rule, sensitive=sensitive)
        part, flags = list(part_values), part_flags.to_numpy()
    shown = values.astype(object).to_numpy(copy=True)
    mask = np.zeros(len(values), dtype=bool)
    shown[present] = np.array(part + [None], dtype=object)[:-1]
    mask[present] = flags
    return Suppressed(pd.Series(shown, index=values.index, dtype=object),
                      pd.Series(mask, index=values.index))
