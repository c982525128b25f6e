"""Known breaks: which comparisons straddle CONNECT, the Home Office categories, the lockdowns."""

from __future__ import annotations

import pandas as pd
import pytest

from slp import breaks
from slp.periods import Window


@pytest.mark.parametrize("measure", ["domestic_abuse", "domestic_abuse_violence_with_injury",
                                     "hate_crime", "hate_crime_racist", "Hate Crime"])
def test_connect_splits_domestic_abuse_and_hate_crime(measure):
    # April 2023 - March 2024 holds March 2024, the first CONNECT month; the year before none.
    found = breaks.spanning(measure, ("2023-04", "2024-03"), ("2022-04", "2023-03"))
    assert found.key == "connect"
    assert "before and after March 2024 are not comparable" in found.note


def test_connect_leaves_other_measures_and_same_side_windows_alone():
    assert breaks.spanning("knife_crime", ("2023-04", "2024-03"), ("2022-04", "2023-03")) is None
    # Both windows entirely before March 2024, or entirely from it on.
    assert breaks.spanning("domestic_abuse", ("2023-03", "2024-02"), ("2022-03", "2023-02")) \
        is None
    assert breaks.spanning("domestic_abuse", ("2025-03", "2026-02"), ("2024-03", "2025-02")) \
        is None


def test_window_order_and_window_objects_do_not_matter():
    a, b = Window("2023-04", "2024-03"), Window("2022-04", "2023-03")
    assert breaks.spanning("hate_crime", a, b) == breaks.spanning("hate_crime", b, a) \
        == breaks.get("connect")
    assert breaks.spanning("hate_crime", (pd.Period("2023-04", "M"), "2024-03"),
                           ("2022-04", "2023-03")).key == "connect"


def test_lockdowns_are_flagged_for_every_measure():
    # The plan's window: Sep 2020 - Aug 2021 holds November 2020 and January-March 2021.
    for measure in ("knife_crime", "domestic_abuse", "category:THEFT"):
        found = breaks.spanning(measure, ("2021-09", "2022-08"), ("2020-09", "2021-08"))
        assert found.key == "lockdowns"
    # July-October 2020 and December 2020 were not lockdown months.
    assert breaks.spanning("knife_crime", ("2020-07", "2020-10"), ("2020-12", "2020-12")) is None
    assert breaks.spanning("knife_crime", ("2021-04", "2022-03"), ("2022-04", "2023-03")) is None


def test_home_office_categories_need_the_seam_of_the_files_read():
    a, b = ("2022-08", "2023-07"), ("2023-08", "2024-07")
    assert breaks.spanning("category:THEFT", a, b) is None
    seams = {"home_office_categories": "2023-08"}
    found = breaks.spanning("category:THEFT", a, b, seams=seams)
    assert found.key == "home_office_categories" and found.first == pd.Period("2023-08", "M")
    assert breaks.spanning("recorded_crime", a, b, seams=seams).key == "home_office_categories"
    assert breaks.spanning("category:THEFT", b, ("2024-08", "2025-07"), seams=seams) is None
    assert breaks.spanning("knife_crime", a, b, seams=seams) is None
    # The registry itself is unchanged by the seam.
    assert breaks.get("home_office_categories").first is None


def test_most_specific_break_first():
    windows = ("2020-04", "2021-03"), ("2024-04", "2025-03")
    assert [b.key for b in breaks.all_spanning("domestic_abuse", *windows)] == [
        "connect", "lockdowns"]
    assert breaks.spanning("domestic_abuse", *windows).key == "connect"
    assert breaks.spanning("knife_crime", *windows).key == "lockdowns"


def test_registry_keys_and_lockdown_months():
    assert [b.key for b in breaks.BREAKS] == ["connect", "home_office_categories", "lockdowns"]
    assert breaks.get("lockdowns").months == (
        "2020-03", "2020-04", "2020-05", "2020-06", "2020-11", "2021-01", "2021-02", "2021-03")
    with pytest.raises(KeyError):
        breaks.get("brexit")
