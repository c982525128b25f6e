"""Wrong file formats given where a CSV is expected: named in one line, or read when readable."""

from __future__ import annotations

import gzip
import io
import os
import zipfile

import pytest

from slp.errors import SourceError
from slp.sources import _sniff
from slp.sources.borough import read_borough_crime
from slp.sources.boundaries import read_lookup
from slp.sources.population import read_population
from slp.sources.street import read_street

BOROUGH = (
    "MajorText,MinorText,LookUp_BoroughName,202101,202102\n"
    "Burglary,Domestic Burglary,Lewisham,10,20\n"
    "Theft,Shoplifting,Lewisham,1,2\n"
)


def _xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", BOROUGH)
    return out.getvalue()


def error_of(reader, path) -> str:
    """The one-line message ``reader(path)`` stops with."""
    with pytest.raises(SourceError) as info:
        reader(path)
    message = str(info.value)
    assert "\n" not in message
    for internals in ("NoneType", "np.", "Error tokenizing", "C error", "DRIVER", "Traceback"):
        assert internals not in message
    return message


WRONG = {
    "xlsx": (_xlsx_bytes, "Excel workbook (.xlsx)", "CSV UTF-8"),
    "gzip": (lambda: gzip.compress(BOROUGH.encode()), "gzip", "decompress"),
    "zip": (_zip_bytes, "zip archive", "extract"),
    "xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "(.xls)", "CSV UTF-8"),
    "html": (
        lambda: b"\n  <!DOCTYPE html><html><body>Sign in</body></html>",
        "web page (HTML)",
        "download the CSV file again",
    ),
    "binary": (lambda: bytes(range(256)) * 4, "binary file", "comma-separated text"),
}


@pytest.mark.parametrize("kind", sorted(WRONG))
@pytest.mark.parametrize(
    "reader", [read_borough_crime, read_population, read_street, read_lookup], ids=lambda f: f.__name__
)
def test_wrong_format_is_named_with_what_to_do(tmp_path, kind, reader):
    make, what, todo = WRONG[kind]
    path = tmp_path / "2022-09-metropolitan-street.csv"
    path.write_bytes(make())
    message = error_of(reader, path)
    assert "'2022-09-metropolitan-street.csv'" in message
    assert what in message and todo in message
    assert "\n" not in message and "Error tokenizing" not in message


def test_excel_unicode_text_utf16_tab_separated_is_read(tmp_path):
    # Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated.
    path = tmp_path / "borough.csv"
    path.write_bytes(BOROUGH.replace(",", "\t").encode("utf-16"))
    crime = read_borough_crime(path)
    # Lewisham: 10 + 20 + 1 + 2 = 33, by hand.
    assert int(crime.data["count"].sum()) == 33
    assert set(crime.data["borough"]) == {"Lewisham"}
    assert "'borough.csv' is not UTF-8; it was read as UTF-16 (Excel's 'Unicode text')" in (
        crime.coverage.caveats
    )


def test_utf16_without_bom_is_read(tmp_path):
    path = tmp_path / "borough.csv"
    path.write_bytes(BOROUGH.encode("utf-16-le"))
    assert int(read_borough_crime(path).data["count"].sum()) == 33


def test_windows_1252_is_read(tmp_path):
    path = tmp_path / "borough.csv"
    text = BOROUGH.replace("Shoplifting", "Shoplifting – café")
    path.write_bytes(text.encode("cp1252"))
    crime = read_borough_crime(path)
    assert "Shoplifting – café" in set(crime.data["minor"])
    assert any("read as Windows-1252" in c for c in crime.coverage.caveats)


def test_street_utf16_unicode_text_is_read(tmp_path):
    header = (
        "Crime ID\tMonth\tReported by\tFalls within\tLongitude\tLatitude\tLocation\tLSOA code\t"
        "LSOA name\tCrime type\tLast outcome category\tContext"
    )
    row = "x\t2022-09\tMet\tMet\t-0.02\t51.45\tOn or near A\tE01003189\tLewisham 001A\tBurglary\t\t"
    path = tmp_path / "2022-09-metropolitan-street.csv"
    path.write_bytes("\n".join([header, row, row]).encode("utf-16"))
    street = read_street(path)
    assert int(street.data["count"].sum()) == 2


@pytest.mark.parametrize("reader", [read_borough_crime, read_population, read_street, read_lookup])
def test_fifo_is_refused_without_blocking(tmp_path, reader):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match=r"'pipe.csv' is a named pipe \(FIFO\), not a regular"):
        reader(fifo)


def test_fifo_inside_a_folder_is_skipped(tmp_path):
    (tmp_path / "b.csv").write_text(BOROUGH)
    os.mkfifo(tmp_path / "pipe.csv")
    assert int(read_borough_crime(tmp_path).data["count"].sum()) == 33


def test_ragged_line_is_named_without_pandas_internals(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(BOROUGH + "Theft,Other Theft,Lewisham,1,2,3,4\n")
    message = error_of(read_borough_crime, path)
    assert "line 4 has 7 fields but the header has 5" in message
    assert "tokeniz" not in message.lower() and "C error" not in message


def test_text_file_named_zip_is_one_line(tmp_path):
    path = tmp_path / "2022-09.zip"
    path.write_text("Crime ID,Month\n")
    with pytest.raises(SourceError, match="'2022-09.zip' is named .zip but is not a zip archive"):
        read_street(path)


def test_zip_with_corrupt_member_is_one_line(tmp_path):
    good = tmp_path / "good.zip"
    body = "Crime ID,Month,LSOA code,LSOA name,Crime type\n" + "x,2022-09,E01003189,L 001A,B\n" * 50
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2022-09/2022-09-metropolitan-street.csv", body)
    data = bytearray(good.read_bytes())
    start = data.index(b"2022-09-metropolitan-street.csv") + len("2022-09-metropolitan-street.csv")
    for i in range(start + 5, start + 25):  # damage the compressed bytes of the member
        data[i] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    message = error_of(read_street, bad)
    assert "'bad.zip' member '2022-09/2022-09-metropolitan-street.csv' cannot be extracted" in message
    assert "download it again" in message


def test_wrong_format_passes_text():
    assert _sniff.wrong_format(b"a,b\n1,2\n") is None
    assert _sniff.wrong_format("a,b\n".encode("utf-16")) is None


def test_folder_holding_only_a_workbook_names_it(tmp_path):
    (tmp_path / "MPS Borough Level Crime.xlsx").write_bytes(_xlsx_bytes())
    message = error_of(read_borough_crime, tmp_path)
    assert "folder has no files matching *.csv, *.CSV; found: MPS Borough Level Crime.xlsx" in message
    assert "'MPS Borough Level Crime.xlsx' is an Excel workbook (.xlsx)" in message
    assert "CSV UTF-8" in message


def test_empty_folder_says_it_is_empty(tmp_path):
    with pytest.raises(SourceError, match=r"no files matching \*.csv, \*.CSV \(it is empty\)"):
        read_borough_crime(tmp_path)


def test_truncated_zip_is_one_line(tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("2022-09/2022-09-metropolitan-street.csv", "Crime ID,Month\n" * 200)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:300])  # the central directory is lost
    message = error_of(read_street, cut)
    assert "'cut.zip' is a damaged or incomplete zip archive" in message
