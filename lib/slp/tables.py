"""Accessible, deterministic HTML tables for reports.

:func:`html_table` writes a plain ``<table>`` with a ``<caption>``, column headers
(``<th scope="col">``), row headers (``<th scope="row">``) and numbers right-aligned (class
``num``, styled by the report's stylesheet) with thousands separators. It has no ids or random
parts, so the same frame always gives byte-identical HTML, and it needs nothing beyond
:func:`html.escape`.

Suppressed values (``"<5"``, ``"[c]"``) and other text are shown as they are.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from slp.errors import SlpError

#: Shown for a missing value (the GSS convention for "not available").
MISSING = "[x]"

#: Text that reads as a number (right-aligned): 1,234  -3.1%  +6.7%  <5  =3 (a shared rank)  [c]
#: [x]
_NUMERIC_TEXT = re.compile(r"^(?:[<>=]?[+\-\u2212]?[\d,]*\.?\d+%?|\[[a-z]\])$")

#: Spreadsheet-style patterns: optional sign, digits with optional separators, decimals.
_SPREADSHEET = re.compile(r"^(\+?)([#,0]*0)(?:\.(0+))?$")

#: Cell texts that say "nothing here" and do not decide a column's alignment.
_NEUTRAL = frozenset({MISSING, "", "-", "\u2013", "\u2014", "n/a", "suppressed"})

Formatter = str | Callable[[Any], str]


@dataclass(frozen=True)
class Table:
    """An HTML table ready to display in a notebook or write into a page.

    Attributes
    ----------
    markup : str
        The HTML.
    """

    markup: str

    def html(self) -> str:
        """The HTML markup."""
        return self.markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def format_number(value: Any, kind: Formatter = "auto") -> str:
    """Format one value for a table or a sentence.

    Parameters
    ----------
    value : number, str or None
        The value. Text (such as ``"<5"``) is returned unchanged; missing values give ``"[x]"``.
    kind : str or callable, default "auto"
        ``"count"``: whole number with thousands separators (``"1,234"``);
        ``"rate"``: one decimal place (``"12.3"``);
        ``"percent"`` (or ``"change"``): a value already in per cent, one decimal place, signed
        (``"+6.7%"``, ``"-3.1%"``, ``"0.0%"``);
        ``"signed"``: a whole number with its sign (``"+1,234"``, ``"-56"``, ``"0"``);
        ``"auto"``: ``"count"`` for whole numbers, else ``"rate"``;
        a spreadsheet-style pattern such as ``"0.00"``, ``"#,##0.0"`` or ``"+0.0"``;
        any other string is a :meth:`str.format` pattern such as ``"{:,.2f}"``;
        a callable is called with the value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(12345)
    '12,345'
    >>> format_number(6.66, "percent")
    '+6.7%'
    """
    text = _not_a_number(value, kind)
    if text is not None:
        return text
    number = float(value)
    if kind == "auto":
        kind = "count" if number == math.floor(number) else "rate"
    if kind in _NAMED_FORMATS:
        return _NAMED_FORMATS[kind](number)
    spreadsheet = _SPREADSHEET.match(kind)
    if spreadsheet:  # "0.00", "#,##0.0", "+0.0": decimals, separators and sign as written
        sign, body, decimals = spreadsheet.group(1), spreadsheet.group(2), spreadsheet.group(3)
        spec = f"{sign}{',' if ',' in body else ''}.{len(decimals or '')}f"
        return format(number, spec)
    if "{" not in kind:
        raise SlpError(
            f"format_number: {kind!r} is not a number format; use count, rate, percent, change, "
            "signed, a pattern like '0.00' or a str.format pattern like '{:,.2f}'"
        )
    try:
        return kind.format(number)
    except (ValueError, IndexError, KeyError) as exc:
        raise SlpError(f"format_number: {kind!r} is not a number format ({exc})") from None


def _not_a_number(value: Any, kind: Formatter) -> str | None:
    """The text of a value that is not a plain number (or of any value for a callable format);
    None for a number, which :func:`format_number` formats by ``kind``."""
    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return MISSING
    if callable(kind):
        return str(kind(value))
    if isinstance(value, pd.Period):
        return value.strftime("%b %Y") if value.freqstr.startswith("M") else str(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    return None


def _percent(number: float) -> str:
    text = f"{number:+,.1f}"
    return ("0.0" if text in ("+0.0", "-0.0") else text) + "%"


def _signed(number: float) -> str:
    whole = round(number)
    return f"{whole:+,}" if whole else "0"


#: The named number formats of :func:`format_number`.
_NAMED_FORMATS = {
    "count": lambda number: f"{round(number):,}",
    "rate": lambda number: f"{number:,.1f}",
    "percent": _percent,
    "change": _percent,
    "signed": _signed,
}


def choose_format(values: Sequence[Any]) -> str:
    """``"count"`` when every number in ``values`` is whole, else ``"rate"`` (one decimal).

    Used for ``"auto"`` so that a column is written one way throughout (``8.0`` beside ``8.1``,
    not ``8`` beside ``8.1``).

    Examples
    --------
    >>> choose_format([1, 2.0, "<5"]), choose_format([8.0, 8.1])
    ('count', 'rate')
    """
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            continue
        if not math.isnan(float(value)) and float(value) != math.floor(float(value)):
            return "rate"
    return "count"


def html_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    number_format: Formatter | Mapping[Hashable, Formatter] = "auto",
    index: bool = False,
    notes: str | Sequence[str] | None = None,
    row_headers: bool = True,
    class_name: str = "slp-table",
) -> Table:
    """Write a DataFrame as an accessible HTML table.

    Parameters
    ----------
    frame : DataFrame
        The data. Text values (``"<5"``, ``"[c]"``, names) are shown as they are.
    caption : str
        What the table shows, with units and period; becomes the ``<caption>``.
    number_format : str, callable or mapping, default "auto"
        How numbers are written (see :func:`format_number`), for every column or per column as
        ``{column: format}`` (columns not named use ``"auto"``). ``"auto"`` is decided per
        column by :func:`choose_format`.
    index : bool, default False
        Include the index as the first column.
    notes : str or list of str, optional
        Notes shown under the table (sources, what ``"<5"`` means).
    row_headers : bool, default True
        Mark the first column (the index when ``index=True``) as row headers.
    class_name : str, default "slp-table"
        The ``class`` of the ``<table>``.

    Returns
    -------
    Table
        An object whose ``html()`` / ``_repr_html_()`` give the markup: a scrollable, focusable
        region (``<div class="table-scroll">``) holding the table, then the notes.

    Raises
    ------
    SlpError
        When ``frame`` is not a DataFrame or the caption is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"Area": ["Lewisham"], "Crimes": [31234]})
    >>> "<td class=\\"num\\">31,234</td>" in html_table(df, "Crimes, 2022").html()
    True
    """
    if not isinstance(frame, pd.DataFrame):
        raise SlpError(f"html_table: expected a pandas DataFrame; found {type(frame).__name__}")
    if not str(caption).strip():
        raise SlpError("html_table: every table needs a caption (what it shows, units, period)")
    data = frame.reset_index() if index else frame
    formats = {
        column: choose_format(data[column].tolist()) if kind == "auto" else kind
        for column, kind in _formats_by_column(data.columns, number_format).items()
    }
    columns = list(data.columns)
    cells = [
        [format_number(value, formats[column]) for value in data[column].tolist()]
        for column in columns
    ]
    numeric = [
        _is_numeric_column(values, col_cells)
        for values, col_cells in zip((data[c].tolist() for c in columns), cells, strict=True)
    ]
    esc = html.escape
    lines = [f'<div class="table-scroll" role="region" aria-label="{esc(str(caption))}" tabindex="0">']
    lines.append(f'<table class="{esc(class_name)}">')
    lines.append(f"<caption>{esc(str(caption))}</caption>")
    lines.append("<thead><tr>")
    for j, column in enumerate(columns):
        cls = ' class="num"' if numeric[j] else ""
        lines.append(f'<th scope="col"{cls}>{esc(_header_text(column))}</th>')
    lines.append("</tr></thead>")
    lines.append("<tbody>")
    for i in range(len(data)):
        row = ["<tr>"]
        for j in range(len(columns)):
            text = esc(cells[j][i])
            cls = ' class="num"' if numeric[j] else ""
            if j == 0 and row_headers:
                row.append(f'<th scope="row"{cls}>{text}</th>')
            else:
                row.append(f"<td{cls}>{text}</td>")
        row.append("</tr>")
        lines.append("".join(row))
    lines.append("</tbody>")
    lines.append("</table>")
    lines.append("</div>")
    if notes:
        for note in [notes] if isinstance(notes, str) else list(notes):
            if note:
                lines.append(f'<p class="table-note">{esc(str(note))}</p>')
    return Table("\n".join(lines) + "\n")


def _formats_by_column(
    columns: pd.Index, number_format: Formatter | Mapping[Hashable, Formatter]
) -> dict[Hashable, Formatter]:
    if isinstance(number_format, Mapping):
        unknown = [c for c in number_format if c not in columns]
        if unknown:
            raise SlpError(
                f"html_table: number_format names columns not in the table: "
                f"{', '.join(map(str, unknown))}; columns are {', '.join(map(str, columns))}"
            )
        return {c: number_format.get(c, "auto") for c in columns}
    return {c: number_format for c in columns}


def _is_numeric_column(values: list[Any], texts: list[str]) -> bool:
    """True when every shown value is a number or reads as one (``"1,234"``, ``"<5"``,
    ``"+6.7%"``, ``"[c]"``) and at least one is not missing: such columns are right-aligned."""
    present = [(v, t) for v, t in zip(values, texts, strict=True) if t.strip() not in _NEUTRAL]
    return bool(present) and all(_reads_as_number(v, t) for v, t in present)


def _reads_as_number(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Real):
        return True
    return bool(_NUMERIC_TEXT.match(text.strip()))


def _header_text(column: Hashable) -> str:
    if isinstance(column, tuple):
        return " \u2013 ".join(str(part) for part in column if str(part))
    return str(column)
