"""What changed since the last assessment: hand-made payloads, hand-worked expected lists."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from slp.changes import load_figures, what_changed
from slp.errors import SlpError, SourceError


def cat(name, count, **extra):
    return {"category": name, "months": 12, "count": count, **extra}


@pytest.fixture
def previous():
    return {
        "borough": "Lewisham", "period_end": "2021-09", "classification": "MPS title case",
        "headline": [
            {"months": 12, "start": "2020-10", "end": "2021-09", "count": 1000,
             "previous_count": 900, "rate_per_1000": 10.0, "rank": 5, "rank_of": 32,
             "verdict": "within"},
            {"months": 3, "start": "2021-07", "end": "2021-09", "count": 250,
             "previous_count": 240, "rate_per_1000": 2.5, "rank": 4, "rank_of": 32,
             "verdict": "within"},
        ],
        "categories": [
            cat("Violence Against the Person", 400, rate_per_1000=4.0, rank=10, rank_of=32,
                verdict="within"),
            cat("Theft", 300),
            cat("Burglary", 100),
            cat("Vehicle Offences", 90),
            cat("Drug Offences", 60, rate_per_1000=0.6),
            cat("Robbery", 50, rate_per_1000=0.5, rank=20, rank_of=32, verdict="within",
                **{"break": {"month": "2018-01", "description": "outside both periods"}}),
            cat("Historical Fraud and Forgery", 0),  # listed with no crimes: not a class change
        ],
    }


@pytest.fixture
def current():
    return {
        "borough": "Lewisham", "period_end": "2022-09", "classification": "MPS upper case",
        "break": {"month": "2022-04", "description": "the recording system changed"},
        "headline": [
            # the comparison year 2020-10..2021-09 now counts 1,010: revised from 1,000
            {"months": 12, "start": "2021-10", "end": "2022-09", "count": 1100,
             "previous_count": 1010, "rate_per_1000": 11.0, "rank": 3, "rank_of": 32,
             "verdict": "larger_rise"},
            {"months": 3, "start": "2022-07", "end": "2022-09", "count": 250,
             "previous_count": 260, "rate_per_1000": 2.5, "rank": 4, "rank_of": 32,
             "verdict": "within"},
        ],
        "categories": [
            cat("VIOLENCE AGAINST THE PERSON", 420, previous_count=400, rate_per_1000=4.2,
                rank=10, rank_of=32, verdict="within"),
            cat("THEFT", 280),
            cat("ROBBERY", 150, previous_count=52, rate_per_1000=1.5, rank=8, rank_of=32,
                verdict="larger_rise"),
            cat("BURGLARY", 100),
            cat("PUBLIC ORDER OFFENCES", 95),
            cat("VEHICLE OFFENCES", 40, **{"break": "theft from vehicles moved to THEFT"}),
            cat("DRUG OFFENCES", "<10", rate_per_1000=None),
        ],
    }


def test_moves_listed_by_hand(current, previous):
    changes = what_changed(current, previous)
    assert (changes.borough, changes.period_end, changes.previous_period_end) == (
        "Lewisham", "2022-09", "2021-09")
    assert [m.words for m in changes.moves] == [
        "All crime, last 12 months: rate per 1,000 residents rose from 10.00 to 11.00 (+10.0%)",
        "All crime, last 12 months: rank 3 of 32, was 5 of 32",
        "All crime, last 12 months: a larger rise than usual, was within normal variation",
        "All crime, last 3 months: 2.50 crimes per 1,000 residents, unchanged",
        "VIOLENCE AGAINST THE PERSON: rate per 1,000 residents rose from 4.00 to 4.20 (+5.0%)",
        "ROBBERY: rate per 1,000 residents rose from 0.50 to 1.50 (+200.0%)",
        "ROBBERY: rank 8 of 32, was 20 of 32",
        "ROBBERY: a larger rise than usual, was within normal variation",
        # top five then: VAP, Theft, Burglary, Vehicle, Drugs; now: VAP, THEFT, ROBBERY,
        # BURGLARY, PUBLIC ORDER (the suppressed drug count ranks last)
        "ROBBERY entered the five largest categories (now 3)",
        "PUBLIC ORDER OFFENCES entered the five largest categories (now 5)",
        "VEHICLE OFFENCES left the five largest categories (was 4)",
        "DRUG OFFENCES left the five largest categories (was 5)",
    ]
    rank = changes.of_kind("rank")[0]
    assert (rank.previous, rank.current) == ((5, 32), (3, 32))
    verdict = changes.of_kind("verdict")[1]
    assert (verdict.subject, verdict.previous, verdict.current) == (
        "ROBBERY", "within", "larger_rise")


def test_reasons_listed_by_hand(current, previous):
    reasons = what_changed(current, previous).reasons
    assert [(r.kind, r.subject) for r in reasons] == [
        ("break", "all figures"),
        ("break", "VEHICLE OFFENCES"),
        ("classification", "all figures"),
        ("classification", "categories"),
        ("revision", "All crime"),
        ("revision", "ROBBERY"),
    ]
    words = [r.words for r in reasons]
    assert words[0].startswith("all figures: a stated break (2022-04): the recording system "
                               "changed;")
    assert "theft from vehicles moved to THEFT" in words[1]
    assert "from MPS title case to MPS upper case" in words[2]
    assert "only in this one: PUBLIC ORDER OFFENCES)" in words[3]
    assert "only in the previous" not in words[3]
    # 1,000 then, 1,010 now: +10, +1.0%; robbery 50 then, 52 now: +2, +4.0%
    assert words[4] == ("All crime, 2020-10 to 2021-09: 1,000 crimes in the previous "
                        "assessment's figures, 1,010 in this one (+10, +1.0%): the earlier "
                        "period's figures were revised between the two downloads")
    assert "ROBBERY, 2020-10 to 2021-09: 50 crimes" in words[5] and "(+2, +4.0%)" in words[5]


def test_significant_then_verdict_now_is_a_method_change_not_a_verdict_change(current,
                                                                              previous):
    for row in previous["headline"] + previous["categories"]:
        if "verdict" in row:
            row["significant"] = row.pop("verdict") != "within"
    changes = what_changed(current, previous)
    assert changes.of_kind("verdict") == []
    assert [r.kind for r in changes.reasons].count("verdict_method") == 1


def test_older_significant_flags_on_both_sides_are_compared(current, previous):
    for payload in (current, previous):
        for row in payload["headline"]:
            row["significant"] = row.pop("verdict") == "larger_rise"
        for row in payload["categories"]:
            row.pop("verdict", None)
    moves = what_changed(current, previous).of_kind("verdict")
    assert [m.words for m in moves] == [
        "All crime, last 12 months: significant, was not significant"]


def test_unchanged_payloads_give_no_reason(previous):
    later = json.loads(json.dumps(previous))
    later["period_end"] = "2021-10"
    for row in later["categories"]:
        row.pop("break", None)
    previous["categories"][-2].pop("break")
    changes = what_changed(later, previous)
    assert changes.reasons == []
    assert {m.kind for m in changes.moves} == {"rate"}  # rates listed even when unchanged


def test_payloads_must_be_the_same_area_and_earlier(current, previous):
    with pytest.raises(SlpError, match="for 'Croydon', this run for 'Lewisham'"):
        what_changed(current, {**previous, "borough": "Croydon"})
    with pytest.raises(SlpError, match="end 2022-09, not before this run's 2022-09"):
        what_changed(current, {**previous, "period_end": "2022-09"})


def test_load_figures(tmp_path, previous):
    good = tmp_path / "figures.json"
    good.write_text(json.dumps(previous))
    assert load_figures(good)["borough"] == "Lewisham"
    bad = tmp_path / "bad.json"
    bad.write_text('{"borough": "Lewisham",\n "period_end": }')
    with pytest.raises(SourceError, match=r"'bad.json' line 2, column \d+: is not JSON"):
        load_figures(bad)
    partial = tmp_path / "partial.json"
    partial.write_text('{"borough": "Lewisham"}')
    with pytest.raises(SourceError, match="'partial.json' has no period_end"):
        load_figures(partial)
    with pytest.raises(SourceError, match="'none.json' does not exist"):
        load_figures(tmp_path / "none.json")


@pytest.fixture(scope="module")
def demo_two_periods(demo_params, tmp_path_factory):
    """The demo area's figures for the 12 months to 2026-09 and to 2025-09, and its crime."""
    import dataclasses

    from slp import assessment, figures
    from slp import params as params_mod

    params = params_mod.load(demo_params)
    runs = [assessment.load(dataclasses.replace(params, period_end=end),
                            cache_dir=tmp_path_factory.mktemp(f"cache-{end}"))
            for end in ("2026-09", "2025-09")]
    return figures.compute(runs[0]), figures.compute(runs[1]), runs[0]


def _independent(crime, residents, end, months, major=None):
    """Rates per 1,000 of every area and their ranks (1 = highest), from the long frame."""
    last = pd.Period(end, "M")
    rows = crime[(crime["month"] > last - months) & (crime["month"] <= last)]
    if major is not None:
        rows = rows[rows["major"] == major]
    counts = rows.groupby("borough")["count"].sum().reindex(residents.index, fill_value=0)
    rates = 1000 * counts / residents
    return counts, rates.round(2), rates.rank(ascending=False, method="min").astype(int)


def test_two_demo_periods_against_independent_figures(demo_two_periods):
    now, then, run = demo_two_periods
    crime, residents, area = run.crime.data, run.residents, run.borough
    changes = what_changed(now, then)
    expected_rates, expected_ranks = {}, set()
    subjects = [(f"All crime, last {m} months", m, None) for m in (12, 6, 3)] + [
        (r["category"], 12, r["category"]) for r in now["categories"] if r["count"]]
    for subject, months, major in subjects:
        _, rate_now, rank_now = _independent(crime, residents, "2026-09", months, major)
        _, rate_then, rank_then = _independent(crime, residents, "2025-09", months, major)
        expected_rates[subject] = (float(rate_then[area]), float(rate_now[area]))
        if rank_now[area] != rank_then[area]:
            expected_ranks.add(subject)
    got_rates = {m.subject: (m.previous, m.current) for m in changes.of_kind("rate")}
    assert got_rates == expected_rates  # both rounded to 2 decimals
    assert expected_ranks and {m.subject for m in changes.of_kind("rank")} == expected_ranks
    # the top five by count, worked out from the crime frame
    tops = []
    for end in ("2026-09", "2025-09"):
        last = pd.Period(end, "M")
        rows = crime[(crime["borough"] == area) & (crime["month"] > last - 12)
                     & (crime["month"] <= last)]
        tops.append(set(rows.groupby("major")["count"].sum().nlargest(5).index))
    assert {m.subject for m in changes.of_kind("entered_top_five")} == tops[0] - tops[1]
    assert {m.subject for m in changes.of_kind("left_top_five")} == tops[1] - tops[0]
    # one download: the year both runs count (2024-10..2025-09) agrees, so no revision
    assert [r for r in changes.reasons if r.kind == "revision"] == []
    assert now["headline"][0]["previous_count"] == then["headline"][0]["count"]
