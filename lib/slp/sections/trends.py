"""The trends page (``01-trends``): the monthly series, its seasonal pattern, the categories over
a year, the largest changes and the comparator boroughs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, headline, measures, narrative, tables, verdicts
from slp.comparators import compare_to_comparators
from slp.headline import differs_cell, months_label
from slp.sections import _shared
from slp.sections.blocks import Block, bullets, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "monthly_trend", "seasonality", "category_trends", "largest_changes",
           "comparators"]


def _monthly_series(a: Assessment) -> pd.Series:
    series = measures.monthly_counts(a.crime.data, a.borough)
    return series[series.index <= a.period_end]


def monthly_trend(a: Assessment) -> Block:
    """Monthly counts since the data begin, with a 12-month rolling average."""
    series = _monthly_series(a)
    frame = pd.DataFrame({"Month": series.index.strftime("%b %Y"),
                          "Crimes": series.to_numpy(),
                          "12-month average": series.rolling(12).mean().round(1).to_numpy()})
    first, last = series.index[0], series.index[-1]
    chart = charts.line_chart(
        frame, "Month", ["Crimes", "12-month average"],
        f"Crimes recorded each month in {a.area_label}", "Crimes per month",
        f"{first:%B %Y} to {last:%B %Y}")
    text = narrative.monthly_trend_sentence(series.idxmax(), series.max(), a.period_end,
                                            series.iloc[-1], series.get(a.period_end - 12))
    return Block().add(p(text), chart)


def seasonality(a: Assessment) -> Block:
    """STL decomposition of the monthly series: trend, seasonal pattern, remainder."""
    from slp import seasonality as seasonal

    parts = seasonal.decompose(_monthly_series(a))
    profile = seasonal.seasonal_profile(parts).set_index("month_name")["pct_of_level"]
    high, low = profile.idxmax(), profile.idxmin()
    text = [seasonal.describe_trend(seasonal.summarise_trend(parts)),
            narrative.seasonal_sentence(high, profile[high], low, profile[low])]
    return Block().add(bullets(text), charts.seasonal_chart(
        parts, title=f"Trend and seasonal pattern of monthly crime in {a.area_label}"))


def category_trends(a: Assessment) -> Block:
    """Each main category, 12 months against the previous 12, beside the whole (London), each
    change judged against the area's normal variation for that category."""
    cats = _shared.major_categories(a)
    judged = _shared.category_verdicts(a)
    big = cats[cats["count"] >= 20]
    lines = [narrative.category_trend_sentence(a.borough, _shared.public_category(a, r),
                                               _shared.verdict_of(judged, r["major"])[1],
                                               a.frame)
             for r in big.head(5).to_dict("records")]
    return Block().add(bullets(lines))


def largest_changes(a: Assessment) -> Block:
    """The detailed categories with the largest increases and decreases."""
    table = measures.largest_changes(a.crime.data, a.residents, a.borough, a.params.period_end,
                                     level="minor", n=5)
    judged, whole = _shared.category_verdicts(a, by="minor"), a.frame
    frame = pd.DataFrame({
        "Direction": table["direction"],
        "Category": table["major"],
        "Detailed category": table["minor"],
        "Last 12 months": table["count"],
        "Previous 12 months": table["previous_count"],
        "Change (crimes)": table["change"],
        "Change": table["change_pct"],
        whole.change_column: table["london_change_pct"],
        **_shared.verdict_columns(judged, table["minor"]),
    })
    if (table["major"] == table["minor"]).all():  # police.uk: each type its own main category
        frame = frame.drop(columns="Detailed category")
    shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months")
    lines = []
    for direction in ("increase", "decrease"):
        rows = table[table["direction"] == direction]
        if len(rows):
            r = rows.iloc[0]
            lines.append(narrative.largest_change_sentence(
                direction, str(r["minor"]), str(r["major"]), r["change"], r["change_pct"],
                _shared.verdict_of(judged, r["minor"])[1]))
    return Block().add(bullets(lines), tables.html_table(
        shown.frame, f"Largest changes by detailed category, {a.area_label}, "
                     f"{months_label(a.window)} against the previous 12 months",
        number_format={"Change": "change", whole.change_column: "change",
                       "Change (crimes)": "signed"},
        notes=[*shown.notes, headline.verdict_note(a)]))


def comparators(a: Assessment) -> Block:
    """The area beside its comparators and the whole (London): each change judged against the
    area's normal variation, and whether it differed from the whole's."""
    whole = a.frame
    if not a.params.comparators:
        return Block().add(p(f"No comparator {whole.plural} are named in the parameters."))
    comp = compare_to_comparators(a.crime.data, a.residents, a.borough,
                                           a.params.comparators, a.params.period_end)
    names = comp["area"].replace({measures.LONDON: whole.whole_label})
    frame = pd.DataFrame({
        "Area": names, "Crimes, last 12 months": comp["count"],
        "Previous": comp["previous_count"],
        "Rate per 1,000": comp["rate_per_1000"], "Change": comp["change_pct"],
        whole.rank_column: [narrative.rank_label(r) for r in comp["rank"]],
    })
    judged = verdicts.comparator_verdicts(a.crime.data, comp["area"].tolist(),
                                          a.params.period_end)
    frame[narrative.VERDICT_COLUMN] = [narrative.verdict_cell(v, m) for v, m in
                                       zip(judged["verdict"], judged["method"], strict=True)]
    frame[_shared.USUAL_RANGE] = [narrative.usual_range(*(r or (None, None))) or "-"
                                  for r in judged["usual_range_pct"]]
    frame[whole.differs_column] = judged["differs_from_london"].map(differs_cell).to_numpy()
    shown = _shared.publish_table(a, frame, "Crimes, last 12 months", "Previous")
    lines = [narrative.comparator_sentence(name, r["rate_per_1000"], r["position"],
                                           a.borough, r["change_pct"])
             for name, r in zip(names, comp.to_dict("records"), strict=True)
             if r["role"] != "borough"]
    lines += [f"{name}: {r['words']}." for name, r in zip(names, judged.to_dict("records"),
                                                           strict=True)]
    return Block().add(bullets(lines), tables.html_table(
        shown.frame.drop(columns="Previous"),
        f"{a.area_label}, comparator {whole.plural} and {whole.whole_label}, "
        f"{months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Change": "change"},
        notes=[*shown.notes, headline.verdict_note(a)]))
