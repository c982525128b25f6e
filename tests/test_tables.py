"""Accessible HTML tables: structure, number formats, escaping and byte-identical output."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from slp.errors import SlpError
from slp.tables import Table, choose_format, format_number, html_table


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "Area": ["Lewisham", "Greenwich"],
            "Crimes": [31234, 3],
            "Rate per 1,000": [103.24, 88.0],
            "Change": [6.66, -3.14],
            "Shown": ["<5", "1,234"],
        }
    )


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (1234567, "auto", "1,234,567"),
        (12.345, "rate", "12.3"),
        (8.0, "rate", "8.0"),
        (12.0, "count", "12"),
        (6.66, "percent", "+6.7%"),
        (-3.14, "percent", "-3.1%"),
        (-0.04, "percent", "0.0%"),
        (6.66, "change", "+6.7%"),
        (1234, "signed", "+1,234"),
        (-56, "signed", "-56"),
        (0, "signed", "0"),
        (0.5, "{:.2f}", "0.50"),
        (0.12345, "0.00", "0.12"),
        (1234.56, "#,##0.0", "1,234.6"),
        (3, "+0.0", "+3.0"),
        ("<5", "count", "<5"),
        (None, "count", "[x]"),
        (np.nan, "rate", "[x]"),
        (pd.Period("2020-02", "M"), "auto", "Feb 2020"),
        (pd.Timestamp("2022-09-30"), "auto", "2022-09-30"),
    ],
)
def test_format_number(value, kind, expected):
    assert format_number(value, kind) == expected


def test_unknown_format_is_an_error_not_constant_text():
    with pytest.raises(SlpError, match="not a number format"):
        format_number(1.5, "two decimals")


def test_choose_format_is_per_column():
    assert choose_format([1, 2.0, "<5", None]) == "count"
    assert choose_format([8.0, 8.1]) == "rate"


def test_table_structure(frame):
    markup = html_table(frame, "Crimes by borough, 2022").html()
    assert markup.count("<table") == 1 and markup.count("</table>") == 1
    assert '<table class="slp-table">' in markup
    assert "<caption>Crimes by borough, 2022</caption>" in markup
    assert markup.count('<th scope="col"') == 5
    assert markup.count('<th scope="row">') == 2  # the first column names the rows
    assert '<th scope="row">Lewisham</th>' in markup
    assert '<div class="table-scroll" role="region" aria-label="Crimes by borough, 2022" ' \
           'tabindex="0">' in markup


def test_numbers_are_right_aligned_with_separators_and_text_is_not(frame):
    markup = html_table(frame, "Crimes", number_format={"Change": "percent"}).html()
    assert '<td class="num">31,234</td>' in markup
    assert '<td class="num">103.2</td>' in markup
    assert '<td class="num">88.0</td>' in markup  # the column has decimals, so 88.0 not 88
    assert '<td class="num">+6.7%</td>' in markup
    assert '<td class="num">-3.1%</td>' in markup
    assert '<th scope="col" class="num">Crimes</th>' in markup
    assert '<th scope="col">Area</th>' in markup


def test_suppressed_values_are_shown_as_they_are_and_escaped(frame):
    markup = html_table(frame, "Crimes").html()
    assert '<td class="num">&lt;5</td>' in markup
    assert '<td class="num">1,234</td>' in markup
    assert "<5" not in markup.replace("&lt;5", "")


def test_text_is_escaped():
    df = pd.DataFrame({"Area": ["<script>alert(1)</script> & co"], "n": [1]})
    markup = html_table(df, 'Caption with "quotes" & <b>').html()
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in markup
    assert "<caption>Caption with &quot;quotes&quot; &amp; &lt;b&gt;</caption>" in markup


def test_index_can_be_the_row_header():
    df = pd.DataFrame({"n": [5, 6]}, index=pd.Index(["a", "b"], name="Ward"))
    markup = html_table(df, "By ward", index=True).html()
    assert '<th scope="col">Ward</th>' in markup
    assert '<th scope="row">a</th><td class="num">5</td>' in markup


def test_missing_values_and_dashes_do_not_change_alignment():
    df = pd.DataFrame({"Area": ["a", "b", "c"], "Rank": ["1", "-", None], "n": [1.5, None, 2.0]})
    markup = html_table(df, "Ranks").html()
    assert '<td class="num">-</td>' in markup
    assert '<td class="num">[x]</td>' in markup
    assert '<td class="num">1.5</td>' in markup


def test_notes_follow_the_table():
    markup = html_table(pd.DataFrame({"n": [1]}), "x", notes=["Source: MPS.", "<5: 1 to 4"]).html()
    assert markup.index("</table>") < markup.index('<p class="table-note">Source: MPS.</p>')
    assert '<p class="table-note">&lt;5: 1 to 4</p>' in markup


def test_output_is_deterministic_and_has_no_ids(frame):
    first = html_table(frame, "Crimes", number_format={"Change": "percent"})
    second = html_table(frame.copy(), "Crimes", number_format={"Change": "percent"})
    assert first.html().encode() == second.html().encode()
    assert not re.search(r"\bid=", first.html())


def test_table_object_displays_in_notebooks(frame):
    table = html_table(frame, "Crimes")
    assert isinstance(table, Table)
    assert table._repr_html_() == table.html() == str(table)


def test_caption_is_required(frame):
    with pytest.raises(SlpError, match="caption"):
        html_table(frame, "  ")


def test_number_format_for_an_unknown_column_is_an_error(frame):
    with pytest.raises(SlpError, match="Chnage"):
        html_table(frame, "Crimes", number_format={"Chnage": "percent"})


def test_not_a_frame_is_an_error():
    with pytest.raises(SlpError, match="DataFrame"):
        html_table([1, 2], "x")


def test_shared_ranks_and_undefined_changes_stay_right_aligned():
    frame = pd.DataFrame({"Area": ["a", "b", "c"], "Rank": ["=2", "=2", "1"],
                          "Change": [5.0, "n/a", None]})
    markup = html_table(frame, "Ranks").html()
    assert '<td class="num">=2</td>' in markup and '<td class="num">1</td>' in markup
    assert '<td class="num">n/a</td>' in markup
