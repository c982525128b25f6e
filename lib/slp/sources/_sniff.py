"""Tell what a file really is before reading it as CSV text, and refuse what is not a file.

Private to :mod:`slp.sources`. Analysts often give a loader an Excel workbook, a compressed
download, a web page saved under a ``.csv`` name, or Excel's "Unicode text" export. Each is
named here from its first bytes, with what to do instead, so the loader can stop with one line
rather than a tokenizer error. What can reasonably be read (UTF-16 with a byte-order mark, or
without one when every other byte is NUL) is decoded, not refused.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from slp.errors import SourceError

#: What to tell an analyst who has a spreadsheet.
SAVE_AS_CSV = "open it in Excel and use Save As 'CSV UTF-8 (Comma delimited) (*.csv)'"

_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<table")


def check_regular(path: Path, source: str) -> None:
    """Refuse a path that is not a regular file (a pipe, a device, a socket) without opening it.

    Opening a named pipe for reading blocks until something writes to it: a run given one
    would hang, so it is refused from its ``stat``.

    Raises
    ------
    SourceError
        The path does not exist, is a folder, or is not a regular file.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError as exc:
        raise SourceError(source, path, f"does not exist (looked for {path})") from exc
    except OSError as exc:
        raise SourceError(source, path, f"cannot be read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise SourceError(source, path, "is a folder; expected a file")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise SourceError(
            source, path, f"is {kind}, not a regular file; expected a CSV file saved on disk"
        )


def read_head(path: Path, source: str, size: int = 64 * 1024) -> bytes:
    """The first ``size`` bytes of a regular file (see :func:`check_regular`)."""
    check_regular(path, source)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise SourceError(source, path, f"cannot be read: {exc.strerror or exc}") from exc


def wrong_format(head: bytes) -> str | None:
    """What a file that should be CSV text really is, and what to do, from its first bytes.

    Returns
    -------
    str or None
        A phrase such as "is an Excel workbook (.xlsx), not a CSV file; open it in Excel and
        ...", or None when the bytes look like text (including UTF-16, which is decoded).

    Examples
    --------
    >>> wrong_format(b"\\x1f\\x8b\\x08\\x00")[:40]
    'is compressed with gzip (.gz), not a CSV'
    >>> wrong_format(b"Borough,202209\\n") is None
    True
    """
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"[Content_Types].xml" in head or b"xl/" in head:
            return f"is an Excel workbook (.xlsx), not a CSV file; {SAVE_AS_CSV}"
        if b"content.xml" in head or b"opendocument" in head:
            return (
                "is an OpenDocument spreadsheet (.ods), not a CSV file; open it and save it as "
                "CSV (UTF-8, comma separated)"
            )
        return "is a zip archive, not a CSV file; extract it and give the CSV file(s) inside"
    if head.startswith(b"\x1f\x8b"):
        return (
            "is compressed with gzip (.gz), not a CSV text file; decompress it first (e.g. "
            "with 7-Zip or 'gunzip') and give the .csv inside"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return f"is an old-style Excel workbook (.xls), not a CSV file; {SAVE_AS_CSV}"
    if head.startswith(b"%PDF"):
        return "is a PDF document, not a CSV file; download the data as CSV"
    if head.startswith(b"PAR1"):
        return "is a Parquet file, not a CSV file; give the CSV download"
    if utf16_codec(head):
        return None
    text = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith(_HTML_STARTS):
        return (
            "is a web page (HTML), not CSV data: the download probably saved an error or "
            "sign-in page; download the CSV file again"
        )
    if b"\x00" in head:
        return "is a binary file, not a CSV text file; expected comma-separated text"
    return None


def utf16_codec(head: bytes) -> str | None:
    """``"utf-16"`` for UTF-16 text (with a byte-order mark, or English text without one in
    which every other byte is NUL), else None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:2000]
    if len(sample) >= 4 and sample.count(b"\x00") >= 0.4 * len(sample):
        if sample[1::2].count(b"\x00") >= 0.9 * len(sample[1::2]):
            return "utf-16-le"
        if sample[0::2].count(b"\x00") >= 0.9 * len(sample[0::2]):
            return "utf-16-be"
    return None


def check_text(head: bytes, source: str, path) -> None:
    """Raise when the first bytes of a file say it is not CSV text (:func:`wrong_format`)."""
    problem = wrong_format(head)
    if problem:
        raise SourceError(source, path, problem)
