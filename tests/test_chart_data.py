"""Chart inputs: errors that name the chart, column and value; small counts hidden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from slp import chart_data
from slp.disclosure import DisclosureRule
from slp.errors import SlpError


def test_months_read_from_text_periods_and_dates():
    months = chart_data.to_months(
        pd.Series(["2022-09", pd.Period("2022-10", "M"), pd.Timestamp("2022-11-01")]), "t", "m")
    assert list(months.strftime("%Y-%m")) == ["2022-09", "2022-10", "2022-11"]


def test_errors_name_the_column_and_value():
    with pytest.raises(SlpError,
                       match=r"line_chart: column 'month': cannot read '2022-13' as a month"):
        chart_data.to_months(pd.Series(["2022-08", "2022-13"]), "line_chart", "month")
    with pytest.raises(SlpError,
                       match=r"funnel_plot: column 'rate' must hold numbers; found 'n/a'"):
        chart_data.numbers(pd.Series([1.5, "n/a"]), "funnel_plot", "rate")
    with pytest.raises(SlpError, match=r"column\(s\) 'rate' not found"):
        chart_data.require(pd.DataFrame({"area": ["A"]}), ["area", "rate"], "ranked_bar_chart")


def test_small_counts_are_hidden_from_the_plot_and_shown_as_text():
    frame = pd.DataFrame({"Robbery": [12, 3, 0, 20]})
    values, shown, hidden = chart_data.suppressed_values(frame, ["Robbery"], DisclosureRule(),
                                                         False)
    # the default rule hides 1 to 4 (3 here); 0 is not a small count that identifies anyone
    assert hidden == 1
    assert np.isnan(values["Robbery"][1]) and values["Robbery"][3] == 20
    assert shown["Robbery"][1] == "<5"
