"""Data downloads: every published table of a page also written as a tidy CSV beside it.

The CSVs are made from the page as published, never from the numbers behind it: each table that
:func:`slp.tables.html_table` wrote (``<table class="slp-table">``, the data tables of charts and
maps included) is read back from the rendered page, so a CSV carries exactly the suppression of
the page (``"<5"``, ``"[c]"``) and nothing a reader of the page could not see. The runner calls
:func:`publish_tables` on each page as it renders it; a notebook run with plain papermill simply
has no download links.

Each table gives ``csv/<page>-<n>.csv`` (UTF-8 with a byte-order mark, so Excel reads it
correctly; numbers without thousands separators or signs, per cent columns marked ``(%)`` in the
header, months as ``YYYY-MM``) and a companion ``csv/<page>-<n>.csv-metadata.json`` (the table's
title, period, sources, notes, what the shorthand means and each column's type and unit). A link
"Download this data (CSV, N KB)" is written under the table. :func:`write_zip` gathers the
period's CSVs into one zip, and :func:`csv_index` lists them in ``csv/index.html``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: The folder, beside the pages, that holds the CSVs.
FOLDER = "csv"
#: What the shorthand in the tables means (the GSS conventions and slp's ``"<5"``).
SHORTHAND = {
    "<N": "a count from 1 to N-1, not shown to protect the people it describes",
    "[c]": "not shown because it would let a reader work out a hidden count",
    "[x]": "not available",
}

#: One table as html_table writes it: the scrolling region, the table, then its notes.
_TABLE = re.compile(
    r'(<div\b[^>]*class="table-scroll"[^>]*>\s*<table class="slp-table"[^>]*>.*?</table>\s*'
    r"</div>)((?:\s*<p class=\"table-note\">.*?</p>)*)", re.S)
_NUMBER = re.compile(r"^([+\-\u2212]?)([\d,]*\.?\d+)(%?)$")
_MONTH = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TAGS = re.compile(r"<[^>]+>")
BOM = "\ufeff"


@dataclass
class PublishedTable:
    """A table read back from a published page.

    Attributes
    ----------
    caption : str
        The table's caption (what it shows, units, period).
    header : list of str
        The column headers as shown.
    rows : list of list of str
        Every cell as shown (``"1,234"``, ``"<5"``, ``"+6.7%"``).
    notes : list of str
        The notes under the table, as text.
    """

    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _TableReader(HTMLParser):
    """Collects the caption, header cells and body rows of one ``<table>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table = PublishedTable()
        self._cell: list[str] | None = None
        self._where = ""
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("caption", "thead", "tbody"):
            self._where = tag
        if tag in ("th", "td", "caption"):
            self._cell = []
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._cell is not None:
            self.table.caption = " ".join("".join(self._cell).split())
            self._cell = None
        elif tag == "tr":
            if self._where == "thead":
                self.table.header = self._row
            else:
                self.table.rows.append(self._row)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_table(markup: str) -> PublishedTable:
    """Read the first ``<table>`` of ``markup`` (as :func:`slp.tables.html_table` writes it).

    Examples
    --------
    >>> t = read_table('<table><caption>C</caption><thead><tr><th>A</th><th>B</th></tr>'
    ...                '</thead><tbody><tr><th>x</th><td>1,234</td></tr></tbody></table>')
    >>> t.caption, t.header, t.rows
    ('C', ['A', 'B'], [['x', '1,234']])
    """
    reader = _TableReader()
    reader.feed(markup)
    reader.close()
    return reader.table


def tidy_value(text: str) -> str:
    """A shown cell as a CSV value: numbers without separators, signs or ``%``; months as
    ``YYYY-MM``; shorthand (``"<5"``, ``"[c]"``, ``"[x]"``) and other text as shown.

    Examples
    --------
    >>> [tidy_value(t) for t in ["1,234", "+6.7%", "\u22123.1", "<5", "[c]", "Sep 2022", "Lewisham"]]
    ['1234', '6.7', '-3.1', '<5', '[c]', '2022-09', 'Lewisham']
    """
    number = _NUMBER.match(text.strip())
    if number:
        sign = "-" if number.group(1) in ("-", "\u2212") else ""
        return sign + number.group(2).replace(",", "")
    month = _MONTH.match(text.strip())
    if month:
        return f"{month.group(2)}-{_MONTHS.index(month.group(1)) + 1:02d}"
    return text


def _is_percent(cells: Sequence[str]) -> bool:
    shown = [c for c in cells if _NUMBER.match(c.strip())]
    return bool(shown) and all(c.strip().endswith("%") for c in shown)


def _is_number(cells: Sequence[str]) -> bool:
    return any(_NUMBER.match(c.strip()) for c in cells)


def tidy_csv(table: PublishedTable) -> tuple[str, list[dict]]:
    """The table as CSV text (no byte-order mark) and a description of each column.

    A per cent column's header gains ``" (%)"``; a column with numbers is typed ``"number"``
    (its shorthand cells, such as ``"<5"``, stay as shown and are explained in the metadata).
    """
    columns = list(zip(*table.rows, strict=True)) if table.rows else [[] for _ in table.header]
    described = []
    header = []
    for name, cells in zip(table.header, columns, strict=True):
        percent = _is_percent(cells)
        header.append(f"{name} (%)" if percent else name)
        described.append({"name": header[-1], "titles": name,
                          "datatype": "number" if _is_number(cells) else "string",
                          **({"unit": "per cent"} if percent else {})})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in table.rows:
        writer.writerow([tidy_value(cell) for cell in row])
    return out.getvalue(), described


def size_label(n_bytes: int) -> str:
    """``"N KB"`` rounded up (at least 1 KB); ``"N.N MB"`` from 1 MB.

    Examples
    --------
    >>> size_label(10), size_label(2048), size_label(2049), size_label(3 * 1024 * 1024)
    ('1 KB', '2 KB', '3 KB', '3.0 MB')
    """
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, math.ceil(n_bytes / 1024))} KB"


def publish_tables(page: str, folder: Path, stem: str, about: dict) -> str:
    """Write every published table of ``page`` as a CSV in ``folder/csv`` and link it.

    Parameters
    ----------
    page : str
        The rendered page.
    folder : Path
        The period's folder (the CSVs go in its ``csv`` sub-folder).
    stem : str
        The page's file name without ``.html``; the CSVs are ``<stem>-1.csv``, ``<stem>-2.csv``...
    about : dict
        What every CSV's metadata says of the run: ``period``, ``area``, ``sources`` (a list),
        ``disclosure`` (a sentence), ``demo`` (bool).

    Returns
    -------
    str
        The page with a "Download this data (CSV, N KB)" link under each table.
    """
    target = folder / FOLDER
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        count += 1
        table = read_table(match.group(1))
        table.notes = [html.unescape(_TAGS.sub("", n)).strip()
                       for n in re.findall(r'<p class="table-note">(.*?)</p>', match.group(2), re.S)]
        name = f"{stem}-{count}.csv"
        text, columns = tidy_csv(table)
        data = (BOM + text).encode("utf-8")
        target.mkdir(exist_ok=True)
        (target / name).write_bytes(data)
        meta = {"url": name, "title": table.caption, "page": f"{stem}.html",
                "encoding": "UTF-8 with byte-order mark", **about, "notes": table.notes,
                "shorthand": SHORTHAND, "columns": columns}
        (target / f"{name}-metadata.json").write_text(
            json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        link = (f'<p class="download"><a href="{FOLDER}/{name}" download>Download this data '
                f"(CSV, {size_label(len(data))})</a></p>")
        return match.group(0) + "\n" + link

    return _TABLE.sub(one, page)


def zip_name(slug: str, period_end: str) -> str:
    """The file name of a period's zip of CSVs, e.g. ``lewisham-2022-09-data.zip``."""
    return f"{slug}-{period_end}-data.zip"


def write_zip(folder: Path, name: str) -> Path:
    """Gather every CSV and metadata file of ``folder/csv`` into ``folder/csv/name``.

    The zip is the same bytes for the same files (sorted, fixed dates), and is written even when
    there are no tables (then it is empty), so the link to it always works.
    """
    target = folder / FOLDER
    target.mkdir(exist_ok=True)
    path = target / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(target.glob("*.csv")) + sorted(target.glob("*.csv-metadata.json")):
            info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.read_bytes())
    path.chmod(0o644)
    return path


def csv_index(folder: Path, zip_file: str) -> str:
    """The body of ``csv/index.html``: the zip, then every CSV with its title and page."""
    e = html.escape
    rows = []
    for meta_path in sorted((folder / FOLDER).glob("*.csv-metadata.json"),
                            key=lambda p: _natural(p.name)):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        size = size_label((folder / FOLDER / meta["url"]).stat().st_size)
        rows.append(f'<tr><td><a href="{e(meta["url"])}">{e(meta["url"])}</a> ({size})</td>'
                    f'<td>{e(meta["title"])}</td><td><a href="../{e(meta["page"])}">'
                    f'{e(meta["page"])}</a></td></tr>')
    zip_size = size_label((folder / FOLDER / zip_file).stat().st_size)
    return (
        "<h1>Data downloads</h1>"
        f'<p>Every table of this report as a CSV file. <a href="{e(zip_file)}" download>Download '
        f"all of them (zip, {zip_size})</a>. Each CSV has a companion "
        "<code>.csv-metadata.json</code> file giving its title, period, sources, notes and "
        "what the shorthand means: &lt;5 (a small count not shown), [c] (not shown because it "
        "would reveal a hidden count) and [x] (not available).</p>"
        '<div class="table-scroll" role="region" aria-label="CSV files" tabindex="0"><table>'
        '<caption>CSV files of this report</caption><thead><tr><th scope="col">File</th>'
        '<th scope="col">What it holds</th><th scope="col">Page</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
