"""The MPS classifications and the old -> new category mapping."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from slp import categories
from slp.errors import CategoryMixError


@pytest.mark.parametrize(
    ("majors", "expected"),
    [
        (["THEFT", "VIOLENCE AGAINST THE PERSON"], "new"),
        (["Theft", "Violence Against the Person"], "old"),
        (["Theft and Handling", "Burglary"], "oldest"),
        (["THEFT", "Theft"], None),
    ],
)
def test_classify(majors, expected):
    assert categories.classify(majors) == expected


def test_old_to_new_sums_many_to_one_by_hand():
    month = pd.Period("2022-01", "M")
    old = pd.DataFrame(
        {
            "borough": ["Lewisham"] * 4 + ["Greenwich"],
            "major": [
                "Miscellaneous Crimes Against Society",
                "Miscellaneous Crimes Against Society",
                "Theft",
                "Burglary",
                "Theft",
            ],
            "minor": [
                "Bigamy",
                "Perjury",
                "Theft from Person",
                "Domestic Burglary",
                "Theft from Person",
            ],
            "month": [month] * 5,
            "count": [1, 2, 5, 7, 11],
        }
    )
    mapped, unmapped = categories.old_to_new(old, keys=["borough", "month"])
    assert unmapped == []
    got = {(r.borough, r.major, r.minor): r.count for r in mapped.itertuples()}
    assert got == {
        ("Lewisham", "MISCELLANEOUS CRIMES AGAINST SOCIETY", "MISC CRIMES AGAINST SOCIETY"): 3,
        ("Lewisham", "THEFT", "THEFT FROM THE PERSON"): 5,
        ("Lewisham", "BURGLARY", "BURGLARY IN A DWELLING"): 7,
        ("Greenwich", "THEFT", "THEFT FROM THE PERSON"): 11,
    }
    assert list(mapped.columns) == list(old.columns)
    assert mapped["count"].dtype == "int64"


def test_unknown_old_category_is_reported_not_dropped():
    old = pd.DataFrame(
        {"borough": ["A"], "major": ["Theft"], "minor": ["Theft of Tea"], "count": [4]}
    )
    mapped, unmapped = categories.old_to_new(old, keys=["borough"])
    assert unmapped == ["Theft / Theft of Tea"]
    assert mapped.iloc[0].to_dict() == {
        "borough": "A",
        "major": "THEFT",
        "minor": "THEFT OF TEA",
        "count": 4,
    }


def test_mapping_table():
    table = categories.mapping_table()
    assert list(table.columns) == ["old_major", "old_minor", "new_major", "new_minor"]
    assert len(table) == len(categories.OLD_TO_NEW)
    assert set(table["old_major"]) == set(categories.OLD_TO_NEW_MAJOR)
    # Every pair keeps its major category (only renamed to upper case).
    assert (table["old_major"].map(categories.OLD_TO_NEW_MAJOR) == table["new_major"]).all()


def test_check_same_classification_names_files(tmp_path):
    found = {tmp_path / "a" / "x.csv": "old", tmp_path / "b" / "x.csv": "new"}
    with pytest.raises(CategoryMixError) as err:
        categories.check_same_classification(found, "MPS Borough Level Crime")
    # Files with the same name are told apart by their folder.
    assert "old: 'a/x.csv'" in str(err.value) and "new: 'b/x.csv'" in str(err.value)
    assert categories.check_same_classification({tmp_path: "new"}, "s") == "new"


# --- the mapping against the real files ----------------------------------------------------


def mps_totals(paths, first: int, last: int) -> dict[tuple[str, str], int]:
    """(major, minor) -> total of every row (all areas) over months first..last, read with the
    csv module, each month from the file that has it last in ``paths`` order."""
    by_month: dict[int, dict[tuple[str, str], int]] = {}
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        cols = [i for i, h in enumerate(header) if h.isdigit() and first <= int(h) <= last]
        for i in cols:
            month = {}
            for row in rows[1:]:
                key = (row[0], row[1])
                month[key] = month.get(key, 0) + int(row[i])
            by_month[int(header[i])] = month
    totals: dict[tuple[str, str], int] = {}
    for month in by_month.values():
        for key, value in month.items():
            totals[key] = totals.get(key, 0) + value
    return totals


@pytest.mark.shared_data
def test_every_old_category_in_the_real_files_is_mapped(shared_data):
    seen = set()
    for path in (shared_data / "mps-borough").rglob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
            if header[0] != "MajorText":
                continue
            rows = list(csv.reader(handle))
        if all(r[0].isupper() for r in rows):
            continue
        seen.update((r[0], r[1]) for r in rows)
    assert seen and seen <= set(categories.OLD_TO_NEW)


@pytest.mark.shared_data
def test_mapped_old_totals_match_new_file_on_shared_months(shared_data):
    # Old vintage-2024-02 and new vintage-2024-11 both cover 2021-01..2024-01. Mapping each
    # old category onto the new one must give MPS-wide totals (all rows, including the
    # airports and the new files' "Unknown" row) within 2% of the new file's; they are not
    # equal because the new files were re-based and revised. (Borough totals differ more,
    # 2-3%, because the new files put offences with no known borough in "Unknown".)
    folder = shared_data / "mps-borough"
    old = mps_totals(sorted((folder / "vintage-2024-02").glob("*.csv")), 202101, 202401)
    new = mps_totals(sorted((folder / "vintage-2024-11").glob("*.csv")), 202101, 202401)
    mapped: dict[tuple[str, str], int] = {}
    for key, value in old.items():
        target = categories.OLD_TO_NEW[key]
        mapped[target] = mapped.get(target, 0) + value
    assert set(mapped) <= set(new)
    for key, value in mapped.items():
        if new[key] < 1000:  # tiny categories (e.g. fraud, 1-2 offences) are not compared
            continue
        assert value == pytest.approx(new[key], rel=0.02), key
    assert sum(mapped.values()) == pytest.approx(sum(new.values()), rel=0.001)
