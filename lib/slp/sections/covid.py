"""The COVID-19 page (``02-covid``): the last 12 months against the 12 months before the
pandemic (judged against the area's normal variation), monthly rates through the lockdowns, and
crime against the level the 2017-2020 trend would have reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, measures, narrative, tables
from slp import covid as pandemic
from slp.comparators import monthly_rates
from slp.sections import _shared
from slp.sections.blocks import Block, bullets, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "pre_pandemic", "covid_rates", "expected_vs_observed"]

COVID_START = pd.Period("2017-01", freq="M")
#: The first month of the first lockdown.
PANDEMIC_START = pd.Period("2020-03", freq="M")


def after_pandemic(a: Assessment, *, short: bool = False) -> Block | None:
    """On a police.uk run whose files start after the pandemic began, the plain statement
    that no comparison with before it can be made (None otherwise: the page's figures);
    ``short``: one line for the page's later sections."""
    first = a.crime.data["month"].min()
    if not a.is_police_uk or first <= PANDEMIC_START:
        return None
    if short:
        return Block().add(p(f"Not shown: the police.uk files start in {first:%B %Y}, after "
                             "the pandemic began (see the first section).", "missing-source"))
    return Block().add(p(
        f"The data.police.uk files of this run start in {first:%B %Y}, after the pandemic "
        "began (the first lockdown was in March 2020), so this page makes no comparison with "
        "the months before or during the pandemic: nothing is estimated for the months the "
        "files do not cover. Earlier street files (from the data.police.uk archive) or "
        f"{a.crime.force or 'the force'}'s own data would be needed for that comparison.",
        "missing-source"))


def covid_rates(a: Assessment) -> Block:
    """Monthly crime rate per 1,000 since January 2017: borough, comparators, London."""
    if (said := after_pandemic(a, short=True)) is not None:
        return said
    start = max(COVID_START, a.crime.data["month"].min())
    areas = [a.borough, *a.params.comparators]
    rates = monthly_rates(a.crime.data, a.residents, areas, start, a.period_end)
    wide = rates.pivot(index="month", columns="area", values="rate_per_1000")
    wide = wide[[*areas, measures.LONDON]].round(2)
    whole = measures.LONDON if a.frame.is_london else a.frame.whole  # the force area's whole
    wide = wide.rename(columns={measures.LONDON: whole})
    shade = [(lock.months[0], lock.months[-1], lock.name) for lock in pandemic.LOCKDOWNS]
    chart = charts.line_chart(wide.reset_index(), "month", [*areas, whole],
                              "Monthly crimes per 1,000 residents", "Crimes per 1,000 residents",
                              f"{start.strftime('%B %Y')} to {a.period_end.strftime('%B %Y')}",
                              shade=shade, number_format="rate")
    own = wide[a.borough]
    lines = []
    feb, apr = pd.Period("2020-02", freq="M"), pd.Period("2020-04", freq="M")
    if feb in own.index and apr in own.index:
        lines.append(narrative.lockdown_fall_sentence(a.borough, own[feb], own[apr]))
    last12 = wide.loc[wide.index > a.period_end - 12]
    others = [c for c in wide.columns if c != a.borough]
    higher = [c for c in others if last12[c].mean() > last12[a.borough].mean()]
    lines += narrative.higher_lower_sentences(a.borough, higher,
                                              [c for c in others if c not in higher])
    return Block().add(bullets(lines), chart)


def expected_vs_observed(a: Assessment) -> Block:
    """Crime against the level the 2017-2020 trend (and seasonality) would have reached, with
    the band calibrated by back-testing (:data:`slp.covid.BACKTEST_WIDEN`)."""
    if (said := after_pandemic(a, short=True)) is not None:
        return said
    series = measures.monthly_counts(a.crime.data, a.borough)
    series = series[(series.index >= COVID_START) & (series.index <= a.period_end)]
    if series.index.min() > pd.Period("2018-02", freq="M"):
        return Block().add(p("The borough file does not reach back far enough before the "
                             "pandemic (at least 24 months before March 2020 are needed) to "
                             "fit a pre-pandemic baseline."))
    table = pandemic.expected_vs_observed(series, through=a.period_end, interval="backtested")
    chart = charts.expected_vs_observed_chart(
        table, title=f"Recorded crimes per month and {narrative.TREND_LEVEL}, {a.area_label}",
        period_label=f"trend fitted to January 2017 to February 2020, projected to "
                     f"{a.period_end.strftime('%B %Y')}",
        interval_label="band holding 9 in 10 back-tested months")
    recent = table[table["month"] > a.period_end - 12]
    lines = narrative.expected_sentences(a.borough, recent["observed"].sum(),
                                         recent["expected"].sum(),
                                         int((recent["position"] != "within").sum()))
    lockdown = table[table["month"].isin(pandemic.lockdown_months())]
    if len(lockdown):
        low = lockdown.loc[lockdown["pct_diff"].idxmin()]
        lines.append(narrative.deepest_fall_sentence(low["month"], low["pct_diff"]))
    return Block().add(bullets(lines), chart)


def pre_pandemic(a: Assessment) -> Block:
    """The last 12 months against the 12 months before the pandemic (March 2019 to February
    2020), all crime first, each change judged against the area's normal variation."""
    if (said := after_pandemic(a)) is not None:
        return said
    if a.crime.data["month"].min() > pd.Period("2019-03", freq="M"):
        return Block().add(p("The borough file starts after March 2019, so there is no "
                             "pre-pandemic year to compare with."))
    table = pandemic.pre_pandemic_comparison(a.crime.data, a.borough, a.params.period_end)
    before = "12 months to February 2020"
    frame = pd.DataFrame({
        "Crime category": table["major"],
        "Last 12 months": table["count"],
        before: table["pre_pandemic_count"].round().astype("int64"),
        "Against pre-pandemic": table["change_pct"],
        narrative.VERDICT_COLUMN: [narrative.verdict_cell(v, m) for v, m in
                                   zip(table["verdict"], table["method"], strict=True)],
        _shared.USUAL_RANGE: [narrative.usual_range(*(r or (None, None))) or "-"
                              for r in table["usual_range_pct"]],
    })
    is_total = frame["Crime category"] == "All crime"
    shown = _shared.publish_pre_pandemic(a, frame[~is_total], before)
    frame = pd.concat([shown.frame, frame[is_total]], ignore_index=True)
    rows = table[table["major"] != "All crime"].to_dict("records")
    lines = [narrative.pre_pandemic_sentence(r["major"], r["change_pct"], r["verdict"],
                                             r["usual_range_pct"])
             for r in rows if r["count"] >= 20 and r["verdict"] in ("larger_rise", "larger_fall")]
    overall = table[table["major"] == "All crime"].iloc[0].to_dict()
    lines.insert(0, narrative.pre_pandemic_total_sentence(
        overall["count"], overall["change_pct"], _pre_pandemic_words(a.borough, overall)))
    return Block().add(bullets(lines[:8]), tables.html_table(
        frame, f"Crime categories in {a.area_label}: last 12 months against the 12 months "
               "before the pandemic (March 2019 to February 2020)",
        number_format={"Against pre-pandemic": "change"},
        notes=[*shown.notes, narrative.PRE_PANDEMIC_NOTE, narrative.verdict(form="note")]))


def _pre_pandemic_words(borough: str, row: dict) -> str | None:
    """The verdict on the change since before the pandemic, with the usual range of changes
    over the same gap before the pandemic."""
    words = narrative.verdict(row.get("verdict"))
    if not words:
        return None
    if row.get("method") == "chance only":
        return words + " (compared with chance fluctuation only: too little history)"
    if row.get("usual_range_pct"):
        words += (f" (before the pandemic, 12-month totals in {borough} differed from those "
                  f"the same time apart by {narrative.usual_range(*row['usual_range_pct'])} nine "
                  "times out of ten)")
    return words
