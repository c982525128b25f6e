"""Data downloads: each published table read back from its page and written as a tidy CSV.

Expected CSV text is worked out by hand from the cells as the page shows them.
"""

from __future__ import annotations

import json
import zipfile

import pandas as pd

from slp import downloads
from slp.tables import html_table

ABOUT = {"area": "Lewisham", "period": "12 months to September 2022",
         "sources": ["MPS Borough Level Crime"], "disclosure": "counts 1 to 4 not shown"}


def page_with_tables() -> str:
    first = html_table(pd.DataFrame({"Month": [pd.Period("2022-08", "M"), pd.Period("2022-09", "M")],
                                     "Crimes": [1234, "<5"], "Change": [6.66, -3.14]}),
                       "Robbery, 2022", number_format={"Change": "percent"},
                       notes=["Source: MPS.", "'<5' means between 1 and 4."])
    second = html_table(pd.DataFrame({"Ward": ["Brockley", "Catford, South"],
                                      "Rate": [12.26, 8.0]}), "Rates by ward")
    return f"<main><h1>T</h1>{first.html()}<p>words</p>{second.html()}</main>"


def test_each_table_becomes_a_tidy_csv_with_bom_and_a_sized_link(tmp_path):
    out = downloads.publish_tables(page_with_tables(), tmp_path, "01-trends", ABOUT)
    first = (tmp_path / "csv" / "01-trends-1.csv").read_bytes()
    assert first.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    assert first.decode("utf-8-sig") == (
        "Month,Crimes,Change (%)\r\n"
        "2022-08,1234,6.7\r\n"  # 1,234 without the separator; +6.7% as 6.7 under (%)
        "2022-09,<5,-3.1\r\n")  # the suppressed count stays suppressed
    second = (tmp_path / "csv" / "01-trends-2.csv").read_bytes().decode("utf-8-sig")
    assert second == 'Ward,Rate\r\nBrockley,12.3\r\n"Catford, South",8.0\r\n'
    size = len(first)
    assert size < 1024
    link = '<p class="download"><a href="csv/01-trends-1.csv" download>Download this data ' \
           "(CSV, 1 KB)</a></p>"
    assert out.count('<p class="download">') == 2 and link in out
    # the link comes under the table and its notes, before the words that follow
    assert out.index("means between 1 and 4.</p>") < out.index(link) < out.index("<p>words</p>")


def test_metadata_names_title_period_sources_notes_and_units(tmp_path):
    downloads.publish_tables(page_with_tables(), tmp_path, "01-trends", ABOUT)
    meta = json.loads((tmp_path / "csv" / "01-trends-1.csv-metadata.json").read_text())
    assert meta["title"] == "Robbery, 2022" and meta["page"] == "01-trends.html"
    assert meta["period"] == "12 months to September 2022"
    assert meta["sources"] == ["MPS Borough Level Crime"]
    assert meta["notes"] == ["Source: MPS.", "'<5' means between 1 and 4."]
    assert [c["name"] for c in meta["columns"]] == ["Month", "Crimes", "Change (%)"]
    assert [c["datatype"] for c in meta["columns"]] == ["string", "number", "number"]
    assert meta["columns"][2]["unit"] == "per cent"


def test_pages_without_slp_tables_are_unchanged(tmp_path):
    page = "<table><caption>Parameters</caption><tbody><tr><td>1</td></tr></tbody></table>"
    assert downloads.publish_tables(page, tmp_path, "x", ABOUT) == page
    assert not (tmp_path / "csv").exists()


def test_zip_holds_every_csv_and_is_deterministic(tmp_path):
    downloads.publish_tables(page_with_tables(), tmp_path, "01-trends", ABOUT)
    path = downloads.write_zip(tmp_path, "lewisham-2022-09-data.zip")
    first = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "01-trends-1.csv", "01-trends-1.csv-metadata.json",
            "01-trends-2.csv", "01-trends-2.csv-metadata.json"]
        assert archive.read("01-trends-1.csv") == (tmp_path / "csv" / "01-trends-1.csv"
                                                   ).read_bytes()
    assert downloads.write_zip(tmp_path, "lewisham-2022-09-data.zip").read_bytes() == first
    index = downloads.csv_index(tmp_path, "lewisham-2022-09-data.zip")
    assert index.count('<tr><td><a href="01-trends-') == 2
    assert 'href="../01-trends.html"' in index


def test_tidy_value_and_size_label():
    assert downloads.tidy_value("\u221212,345") == "-12345"
    assert downloads.tidy_value("=3") == "=3"  # a shared rank is kept as written
    assert downloads.tidy_value("Dec 2019") == "2019-12"
    assert downloads.size_label(1025) == "2 KB"
