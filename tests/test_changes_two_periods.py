"""Issue 14's acceptance: run the demo for two periods into one reports folder (the summary and
the "what changed" pages only, through ``slp run``) and check the later period's "what changed"
page against rates, ranks and five largest categories computed independently from the demo's
borough CSV files with the csv module (not slp.measures)."""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict

import pytest

from support import ROOT

BOROUGH = "Wexbridge"
MPS = ROOT / "data" / "raw" / "demo" / "mps-borough"


def _months(end: str, n: int) -> list[str]:
    """The n months to ``end`` ("2026-09") as the CSV headers name them ("202609")."""
    year, month = int(end[:4]), int(end[5:])
    out = []
    for _ in range(n):
        out.append(f"{year}{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def _counts() -> dict[tuple[str, str, str], int]:
    """(borough, major category, YYYYMM) -> crimes; the recent file wins where both hold a
    month (it is the later download)."""
    out: dict[tuple[str, str, str], int] = {}
    for name in ("MPS Borough Level Crime (Historical).csv",
                 "MPS Borough Level Crime (most recent 24 months).csv"):
        per_file: dict[tuple[str, str, str], int] = defaultdict(int)
        with (MPS / name).open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for key, value in row.items():
                    if key.isdigit():
                        per_file[(row["LookUp_BoroughName"], row["MajorText"], key)] += int(value)
        out.update(per_file)
    return out


def _residents() -> dict[str, int]:
    path = ROOT / "data" / "raw" / "demo" / "population" / "demo-census2021-ts007a-ltla.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return {row["geography"]: int(row["Age: Total"]) for row in csv.DictReader(f)}


def _figures(counts, residents, end: str, months: int, category: str | None):
    """(rate per 1,000 to 2 places, rank of the borough among the 32: 1 = highest rate,
    the borough's count)."""
    window = set(_months(end, months))
    totals = defaultdict(int)
    for (borough, major, month), n in counts.items():
        if month in window and borough in residents and (category in (None, major)):
            totals[borough] += n
    rates = {b: 1000 * totals[b] / residents[b] for b in residents}
    rank = 1 + sum(r > rates[BOROUGH] for r in rates.values())
    return round(rates[BOROUGH], 2), rank, totals[BOROUGH]


def _top_five(counts, end: str) -> list[str]:
    window = set(_months(end, 12))
    totals = defaultdict(int)
    for (borough, major, month), n in counts.items():
        if borough == BOROUGH and month in window:
            totals[major] += n
    return sorted(totals, key=lambda c: -totals[c])[:5]


def _rows(page: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(figure, what moved) -> (then, now) from the page's table."""
    table = page[page.index("<caption>What moved since"):]
    table = table[:table.index("</table>")]
    cells = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td>'
                       r'<td>(.*?)</td></tr>', table)
    return {(html.unescape(a), b): (c, d) for a, b, c, d in cells}


@pytest.fixture(scope="module")
def changes_page(demo_params, tmp_path_factory) -> str:
    from slp.cli import main

    folder = tmp_path_factory.mktemp("two-periods")
    earlier = folder / "demo-2025-09.yaml"
    text = demo_params.read_text(encoding="utf-8")
    assert "period_end: 2026-09" in text
    earlier.write_text(text.replace("period_end: 2026-09", "period_end: 2025-09"),
                       encoding="utf-8")
    reports = folder / "reports"
    for params in (earlier, demo_params):
        assert main(["run", str(params), "--notebooks", "00,10", "--reports", str(reports)]) == 0
    return (reports / "wexbridge" / "2026-09" / "10-changes.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_changes_page_compares_with_the_earlier_period_in_the_same_folder(changes_page):
    assert "previous assessment's (2025-09/figures.json, period ending 2025-09)" in changes_page
    assert "recomputed from this run's own files" not in changes_page


@pytest.mark.slow
def test_the_changes_page_rates_and_ranks_match_the_csv_files_summed(changes_page):
    counts, residents = _counts(), _residents()
    assert len(residents) == 32
    rows = _rows(changes_page)
    subjects = [(f"All crime, last {n} months", n, None) for n in (12, 6, 3)] + [
        (c, 12, c) for c in sorted({major for _, major, _ in counts})]
    checked = 0
    for subject, months, category in subjects:
        rate_then, rank_then, n_then = _figures(counts, residents, "2025-09", months, category)
        rate_now, rank_now, n_now = _figures(counts, residents, "2026-09", months, category)
        if min(n_then, n_now) < 5:  # none, or suppressed ("<5"): not compared
            assert (subject, "Rate per 1,000 residents") not in rows, subject
            continue
        assert rows[(subject, "Rate per 1,000 residents")] == (  # listed, even unchanged
            f"{rate_then:,.2f}", f"{rate_now:,.2f}"), subject
        checked += rate_then != rate_now
        if rank_then == rank_now:
            assert (subject, "Rank among London boroughs") not in rows, subject
        else:
            assert rows[(subject, "Rank among London boroughs")] == (
                f"{rank_then} of 32", f"{rank_now} of 32"), subject
            checked += 1
    assert checked >= 10  # the demo moves: most categories' rates change
    rate_then = _figures(counts, residents, "2025-09", 12, None)[0]
    rate_now = _figures(counts, residents, "2026-09", 12, None)[0]
    pct = 100 * (rate_now - rate_then) / rate_then
    assert (f"All crime, last 12 months: rate per 1,000 residents "
            f"{'rose' if rate_now > rate_then else 'fell'} from {rate_then:,.2f} to "
            f"{rate_now:,.2f} ({pct:+.1f}%).") in changes_page


@pytest.mark.slow
def test_the_changes_page_top_five_entries_and_exits_match_the_csv_files(changes_page):
    counts = _counts()
    then, now = _top_five(counts, "2025-09"), _top_five(counts, "2026-09")
    for category in set(now) - set(then):
        assert f"{html.escape(category)} entered the five largest categories" in changes_page
    for category in set(then) - set(now):
        assert f"{html.escape(category)} left the five largest categories" in changes_page
    if set(now) == set(then):
        assert "the five largest categories" not in changes_page
    # the same files serve both runs: the earlier period's figures were not revised
    assert "were revised between the two downloads" not in changes_page


def test_months_are_counted_back_across_a_year_end():
    assert _months("2026-02", 3) == ["202602", "202601", "202512"]
