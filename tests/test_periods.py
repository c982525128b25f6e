"""Reporting windows: the plan's "12 months to September 2022" and the windows compared with it."""

from __future__ import annotations

import pandas as pd
import pytest

from slp.errors import SlpError
from slp.periods import Window, check_covered, parse_month, windows_ending


def test_parse_month_reads_yyyy_mm():
    assert parse_month("2022-09") == pd.Period("2022-09", freq="M")
    assert parse_month(" 2022-9 ") == pd.Period("2022-09", freq="M")
    assert parse_month(pd.Period("2022-09-15", freq="D")) == pd.Period("2022-09", freq="M")
    assert parse_month(pd.Timestamp("2022-09-30")) == pd.Period("2022-09", freq="M")


@pytest.mark.parametrize("bad", ["2022-13", "2022-00", "Sept 2022", "202209", ""])
def test_parse_month_rejects_non_months_and_says_what_was_expected(bad):
    with pytest.raises(SlpError, match="YYYY-MM") as info:
        parse_month(bad)
    assert repr(bad)[1:-1] in str(info.value)


def test_twelve_months_to_september_2022_is_the_plans_window():
    # The plan: "12 months to September 2022" = October 2021 .. September 2022 (12 months)
    # compared with October 2020 .. September 2021.
    window = Window.ending("2022-09", 12)
    assert (window.start, window.end) == (pd.Period("2021-10", "M"), pd.Period("2022-09", "M"))
    assert window.months == 12
    assert window.label == "October 2021 to September 2022"
    previous = window.previous()
    assert (str(previous.start), str(previous.end)) == ("2020-10", "2021-09")
    # for 12 months the previous window is also the year-earlier window
    assert window.year_earlier() == previous


def test_six_and_three_month_windows_and_their_comparisons():
    six, three = windows_ending("2022-09", (6, 3))
    # 6 months to Sep 2022: Apr..Sep 2022; previous: Oct 2021..Mar 2022; a year earlier: Apr..Sep 2021
    assert (str(six.start), str(six.end)) == ("2022-04", "2022-09")
    assert (str(six.previous().start), str(six.previous().end)) == ("2021-10", "2022-03")
    assert (str(six.year_earlier().start), str(six.year_earlier().end)) == ("2021-04", "2021-09")
    # 3 months: Jul..Sep 2022; previous: Apr..Jun 2022; a year earlier: Jul..Sep 2021
    assert three.label == "July 2022 to September 2022"
    assert three.previous().label == "April 2022 to June 2022"
    assert three.year_earlier().label == "July 2021 to September 2021"


def test_windows_ending_defaults_to_12_6_3():
    assert [w.months for w in windows_ending("2022-09")] == [12, 6, 3]


def test_window_crossing_a_year_boundary():
    window = Window.ending("2023-02", 3)  # Dec 2022, Jan 2023, Feb 2023
    assert list(map(str, window.periods)) == ["2022-12", "2023-01", "2023-02"]
    assert window.previous().label == "September 2022 to November 2022"


def test_contains_includes_both_ends_only():
    window = Window("2021-10", "2022-09")
    assert window.contains("2021-10") and window.contains("2022-09") and window.contains("2022-01")
    assert not window.contains("2021-09") and not window.contains("2022-10")


def test_window_is_frozen_and_hashable():
    window = Window("2022-01", "2022-03")
    with pytest.raises(AttributeError):
        window.start = pd.Period("2021-01", "M")
    assert {window: 1}[Window.ending("2022-03", 3)] == 1


def test_single_month_label_and_bad_windows():
    assert Window.ending("2020-04", 1).label == "April 2020"
    with pytest.raises(SlpError, match="before it starts"):
        Window("2022-09", "2022-01")
    with pytest.raises(SlpError, match="at least one month"):
        Window.ending("2022-09", 0)


def test_check_covered_names_the_month_asked_and_the_months_held():
    held = pd.period_range("2010-04", "2023-07", freq="M")
    check_covered(held, Window.ending("2022-09", 12), Window.ending("2021-09", 12))
    with pytest.raises(SlpError) as info:
        check_covered(held, Window.ending("2023-09", 12), asked="period_end 2023-09")
    message = str(info.value)
    assert message.startswith("period_end 2023-09")
    assert "2022-10 to 2023-09" in message  # the window asked for
    assert "2010-04 to 2023-07" in message  # what the data covers
    assert "2023-08, 2023-09" in message  # the months missing


def test_check_covered_notices_a_gap_inside_the_data():
    held = pd.period_range("2020-01", "2022-12", freq="M").delete(30)  # drop 2022-07
    with pytest.raises(SlpError, match="with gaps; missing: 2022-07"):
        check_covered(held, Window.ending("2022-09", 3))
