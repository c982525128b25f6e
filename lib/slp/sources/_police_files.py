"""The files of a data.police.uk download: folders, archive zips, and months given twice.

Private to :mod:`slp.sources.street`. Expands the ``paths`` a user gives into the CSVs to read
(files on disk or members of a zip), says in one line why an archive cannot be opened or a
member extracted, keeps one copy of a month that was given twice, and parses the columns
``read_street`` needs (re-encoding Windows-1252 and UTF-16 "Unicode text" files first).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slp.errors import SourceError
from slp.sources import _csv, _sniff

if TYPE_CHECKING:
    import polars as pl

SOURCE = "data.police.uk street-level crime"
#: The columns read_street parses; the others are never built.
NEEDED = ("Month", "LSOA code", "LSOA name", "Crime type")
ALL_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

@dataclass
class Input:
    """One CSV to read: a file on disk or a member of a zip archive."""

    name: str
    path: Path
    member: str | None = None

    def header(self) -> list[str]:
        if self.member is None:
            return _csv.read_header(self.path, SOURCE)
        return _csv.header_of(self.head(), SOURCE, Path(self.name))

    def head(self, size: int = 64 * 1024) -> bytes:
        """The first ``size`` bytes of the CSV (of the member, for a zip)."""
        if self.member is None:
            with open(self.path, "rb") as handle:
                return handle.read(size)
        with (
            _opened_zip(self.path) as archive,
            _member_errors(self),
            archive.open(self.member) as handle,
        ):
            return handle.read(size)

    def tail(self, size: int = 64 * 1024) -> bytes:
        """The last ``size`` bytes of the CSV (of the member, for a zip)."""
        if self.member is not None:
            return self.source()[-size:]
        with open(self.path, "rb") as handle:
            handle.seek(0, io.SEEK_END)
            handle.seek(max(0, handle.tell() - size))
            return handle.read()

    def falls_within(self) -> str | None:
        """The police force of the file's first data row (column ``Falls within``), or None
        when it has no such column or value."""
        text, _ = _csv.decode(self.head())
        rows = csv.reader(io.StringIO(text), delimiter=_csv.delimiter_of(text[:4096]))
        header = [h.strip() for h in next(rows, [])]
        if "Falls within" not in header:
            return None
        column = header.index("Falls within")
        row = next((r for r in rows if any(cell.strip() for cell in r)), [])
        return (row[column].strip() or None) if len(row) > column else None

    def source(self) -> str | bytes:
        """What polars reads: the file's path, or a zip member's bytes (one member in memory
        per worker, not the whole archive)."""
        if self.member is None:
            return str(self.path)
        with _opened_zip(self.path) as archive, _member_errors(self):
            return archive.read(self.member)

    def read_bytes(self) -> bytes:
        return self.path.read_bytes() if self.member is None else self.source()


@contextmanager
def _member_errors(item: Input):
    """A damaged zip member (bad CRC, truncated data) as one line naming the archive and member."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        reason = str(exc).strip() or "damaged data"
        raise SourceError(
            SOURCE,
            item.path,
            f"member '{item.member}' cannot be extracted ({reason}); the archive is damaged: "
            "download it again",
        ) from exc


def _opened_zip(path: Path) -> zipfile.ZipFile:
    """Open a police.uk archive, or say in one line why it is not one."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        head = _sniff.read_head(path, SOURCE, 4096)
        if head.startswith(b"PK"):
            what = "is a damaged or incomplete zip archive (a download cut short?)"
        else:
            what = _sniff.wrong_format(head) or (
                "is named .zip but is not a zip archive (it holds text or other data)"
            )
        raise SourceError(
            SOURCE, path, f"{what}; expected a police.uk download archive (.zip)"
        ) from exc
    except OSError as exc:
        raise SourceError(SOURCE, path, f"cannot be read: {exc.strerror or exc}") from exc


def inputs(paths, kind: str = "street") -> list[Input]:
    """The CSVs named by ``paths``: files, folders (their ``*-street.csv``, else every CSV)
    and police.uk archive zips (their ``*-street.csv`` members).

    ``kind="outcomes"`` finds the ``*-outcomes.csv`` files of the same download instead (a
    folder without any is an error, not every CSV)."""
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not given:
        raise SourceError(SOURCE, None, "no input files were given")
    out: list[Input] = []
    for path in map(Path, given):
        if path.is_dir():
            out.extend(_folder_inputs(path, kind))
            continue
        _sniff.check_regular(path, SOURCE)  # missing, a pipe, a device: one line
        out.extend(_zip_inputs(path, kind) if path.suffix.lower() == ".zip"
                   else [Input(path.name, path)])
    return out


def _folder_inputs(folder: Path, kind: str = "street") -> list[Input]:
    found = sorted(f for f in folder.rglob(f"*-{kind}.csv")
                   if not f.name.startswith((".", "~$")) and "__MACOSX" not in f.parts)
    if not found:
        found = _csv.resolve_paths(folder, SOURCE, patterns=("*.csv",) if kind == "street"
                                   else (f"*-{kind}.csv",), recursive=True)
    return [Input(f.name, f) for f in found]


def _zip_inputs(archive_path: Path, kind: str = "street") -> list[Input]:
    with _opened_zip(archive_path) as archive:
        members = sorted(m for m in archive.namelist()
                         if m.lower().endswith(f"-{kind}.csv") and not m.startswith("__MACOSX"))
    if not members:
        raise SourceError(SOURCE, archive_path, f"zip archive holds no '*-{kind}.csv' files")
    return [Input(f"{archive_path.name}:{m}", archive_path, m) for m in members]


_FORCE = re.compile(r"^\d{4}-\d{2}-(.+?)-(?:street|outcomes)", re.IGNORECASE)


def one_copy_per_month(
    items: list[Input], files: list
) -> tuple[list, list[str]]:
    """Keep one copy of a police.uk month given twice (an archive unzipped twice into
    ``2026-09/`` and ``2026-09 (1)/``, a file in a folder and in a zip), never counting it twice.

    Two inputs are the same month when they hold the same month(s) for the same force (from
    the file name, ``YYYY-MM-<force>-street.csv``). Identical copies are read once, with a
    caveat; copies that differ are an error, since either could be the right one.

    Raises
    ------
    SourceError
        Naming both copies, when they differ.
    """
    groups: dict[tuple, list[int]] = {}
    for i, (item, counted) in enumerate(zip(items, files, strict=True)):
        base = item.name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        match = _FORCE.match(base)
        force = match.group(1).lower() if match else base.lower()
        groups.setdefault((tuple(sorted(counted.months.tolist())), force), []).append(i)
    keep: list[int] = []
    caveats: list[str] = []
    for (months, _), members in groups.items():
        keep.append(members[0])
        if len(members) == 1:
            continue
        digests = {i: hashlib.sha256(items[i].read_bytes()).hexdigest() for i in members}
        first = members[0]
        month = _csv.describe_months(months)
        for other in members[1:]:
            if digests[other] != digests[first]:
                raise SourceError(
                    SOURCE,
                    None,
                    f"'{_where(items[first])}' and '{_where(items[other])}' both hold the "
                    f"police.uk month {month} with different contents; expected each month once: "
                    "remove one copy",
                )
        copies = ", ".join(f"'{_where(items[i])}'" for i in members)
        caveats.append(
            f"the police.uk month {month} was given {len(members)} times as identical copies "
            f"({copies}); it is counted once"
        )
    keep.sort()
    return [files[i] for i in keep], caveats


def _where(item: Input) -> str:
    """An input named with its folder or archive, so two copies can be told apart."""
    if item.member is not None:
        return item.name
    return f"{item.path.parent.name}/{item.path.name}"


def _parse(source: str | bytes) -> pl.DataFrame:
    # polars is imported where it is used: a notebook reading a prepared assessment (which
    # imports this module to unpickle it) should not pay for importing it.
    import polars as pl

    # Every column as text (infer_schema=False, so no file can be mis-typed); only NEEDED are
    # parsed (projection pushdown). LSOA code and crime type become Categoricals as they are
    # read: integer codes into one process-wide string table, so they mean the same in every
    # file; "#code" and "#type" are those codes + 1 (0: empty cell), ready for numpy. Month and
    # LSOA name stay text: each is checked against one value per file (the month, the code's
    # name), which is cheaper than encoding them.
    def slot(column: str) -> pl.Expr:
        return (pl.col(column).to_physical().cast(pl.Int64) + 1).fill_null(0)

    return (
        pl.scan_csv(
            source, infer_schema=False, with_column_names=lambda names: [n.strip() for n in names]
        )
        .select(pl.col(list(NEEDED)))
        .with_columns(pl.col("LSOA code", "Crime type").cast(pl.Categorical))
        .with_columns(
            slot("LSOA code").alias("#code"),
            slot("Crime type").alias("#type"),
            pl.all_horizontal(pl.col(list(NEEDED)).is_null()).alias("#blank"),
        )
        .collect()
    )


def read(item: Input) -> tuple[pl.DataFrame, str]:
    """One file's four needed columns (one row per line, null = empty cell) and its encoding:
    UTF-8, else cp1252."""
    import polars as pl
    header = item.header()
    if not header:
        raise SourceError(
            SOURCE, Path(item.name), "is empty (expected a header line and data rows)"
        )
    if any(c not in header for c in NEEDED):
        raise _csv.wrong_source(
            SOURCE, Path(item.name), header, "columns " + ", ".join(ALL_COLUMNS)
        )
    _check_ends_whole(item, header)
    try:
        return _parse(item.source()), "utf-8"
    except pl.exceptions.PolarsError as exc:
        error = exc
    data = item.read_bytes()
    text, encoding = _csv.decode(data)
    if encoding not in ("utf-8", "utf-8-sig") or _csv.delimiter_of(text[:4096]) == "\t":
        # Excel's cp1252 or UTF-16 "Unicode text" (tab-separated): re-written as UTF-8 CSV.
        try:
            return _parse(_as_comma_utf8(text)), encoding
        except pl.exceptions.PolarsError as exc:
            error = exc
    raise SourceError(
        SOURCE,
        Path(item.name),
        "is not a well-formed CSV (a line with an unclosed double quote or a broken encoding); "
        "expected the police.uk street CSV as downloaded",
    ) from error


def _check_ends_whole(item: Input, header: list[str]) -> None:
    """A file cut off in the middle of a row (an interrupted download or copy) is an error:
    its last line has no line end and fewer cells than the header."""
    tail = item.tail()
    if not tail or b"\x00" in tail or tail.endswith((b"\n", b"\r")):
        return  # complete, or UTF-16 (its line ends are two bytes; re-written whole below)
    last, _ = _csv.decode(tail.rsplit(b"\n", 1)[-1])
    cells = next(csv.reader(io.StringIO(last), delimiter=_csv.delimiter_of(last)), [])
    if len(cells) < len(header):
        raise SourceError(
            SOURCE, Path(item.name),
            f"ends in the middle of a row (its last line has {len(cells)} of the header's "
            f"{len(header)} columns and no line end): the file looks cut short (an "
            "interrupted download or copy?); expected the police.uk CSV as downloaded, download it again")


def _as_comma_utf8(text: str) -> bytes:
    """Text in any delimiter :func:`_csv.delimiter_of` knows, as comma-separated UTF-8 bytes."""
    sep = _csv.delimiter_of(text.split("\n", 1)[0])
    if sep == ",":
        return text.encode("utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv.reader(io.StringIO(text), delimiter=sep))
    return out.getvalue().encode("utf-8")
