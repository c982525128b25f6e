"""Harm-weights reader: the documented layout, hand-made files, one-line errors."""

from __future__ import annotations

import math

import pytest

from slp.errors import SourceError
from slp.sources.harm_weights import category_key, read_harm_weights


def test_reads_the_documented_layout(write):
    path = write("harm.csv", """
        scheme,category,weight,unit,source
        police.uk,Burglary,126,days,CCHI 2020 (hand-made test copy)
        police.uk,Robbery,365,days,CCHI 2020 (hand-made test copy)
        police.uk,Drugs,excluded,days,CCHI 2020 (hand-made test copy)
        mps-major,BURGLARY - BUSINESS AND COMMUNITY,183.5,,
    """)
    w = read_harm_weights(path)
    assert w.unit == "days"
    assert w.source == "CCHI 2020 (hand-made test copy)"
    assert w.weight_of("police.uk", "burglary") == 126.0
    assert w.weight_of("police.uk", "ROBBERY") == 365.0
    assert math.isnan(w.weight_of("police.uk", "Drugs"))  # excluded, not zero
    assert w.weight_of("police.uk", "Shoplifting") is None  # not listed at all
    assert w.weight_of("mps-major", "Burglary Business and Community") == 183.5
    assert w.weight_of("mps-minor", "Burglary") is None
    assert "days of imprisonment" in w.unit_label


def test_unit_defaults_to_days_and_css_is_read(write):
    assert read_harm_weights(write("a.csv", """
        scheme,category,weight
        police.uk,Burglary,1
    """)).unit == "days"
    w = read_harm_weights(write("b.csv", """
        Scheme,Category,Weight,Unit
        police.uk,Burglary,"1,234.5",CSS
    """))
    assert (w.unit, w.weight_of("police.uk", "Burglary")) == ("css", 1234.5)
    assert w.source == ""


def test_a_repeated_row_with_the_same_weight_is_kept_once(write):
    w = read_harm_weights(write("a.csv", """
        scheme,category,weight
        police.uk,Burglary,10
        police.uk,BURGLARY,10
    """))
    assert len(w.table) == 1


def test_category_key_ignores_case_spacing_and_punctuation():
    assert category_key("  Public fear, alarm or distress ") == category_key(
        "PUBLIC FEAR ALARM OR DISTRESS")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("scheme,category,weight\npolice.uk,Burglary,lots",
         "'harm.csv' line 2, column 'weight': found 'lots'; expected a number >= 0"),
        ("scheme,category,weight\npolice.uk,Burglary,-3",
         "line 2, column 'weight': found '-3'"),
        ("scheme,category,weight\npolice.uk,Burglary,",
         "line 2, column 'weight': found an empty cell"),
        ("scheme,category,weight\nhome office,Burglary,3",
         "line 2, column 'scheme': found 'home office'; expected one of police.uk, mps-major"),
        ("scheme,category,weight,unit\npolice.uk,Burglary,3,days\npolice.uk,Robbery,9,css",
         "line 3, column 'unit': found 'css' after 'days'"),
        ("scheme,category,weight,unit\npolice.uk,Burglary,3,years",
         "line 2, column 'unit': found 'years'; expected 'days' or 'css'"),
        ("scheme,category,weight\npolice.uk,Burglary,3\npolice.uk,burglary,4",
         "line 3, column 'weight': found 'burglary' weighted 4 but 3 on line 2"),
        ("category,days\nBurglary,3", "expected columns scheme, category, weight"),
        ("scheme,category,weight\npolice.uk,,3", "line 2, column 'category': found an empty"),
    ],
)
def test_bad_files_give_one_line(tmp_path, body, expected):
    path = tmp_path / "harm.csv"
    path.write_text(body + "\n")
    with pytest.raises(SourceError) as err:
        read_harm_weights(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("Harm weights: 'harm.csv'")
    assert expected in message
