"""The summary page (``00-summary``): headline figures, the borough among London's, the funnel
plot, the crime types and what the figures rest on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, measures, methods, narrative, significance, tables, verdicts
from slp import headline as headlines
from slp.comparators import compare_to_comparators
from slp.sections import _shared
from slp.sections.blocks import Block, bullets, heading, markup, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "headline", "borough_ranking", "funnel", "crime_types", "data_notes"]

months_label = headlines.months_label


def headline(a: Assessment) -> Block:
    """Key statements and the 12/6/3-month headline table, each change judged against the
    borough's normal variation and against London's change."""
    rows = headlines.rows(a)
    year = rows[0]
    comp = compare_to_comparators(a.crime.data, a.residents, a.borough,
                                           a.params.comparators, a.params.period_end)
    others = {r["area"]: r["rate_per_1000"] for r in comp.to_dict("records")
              if r["role"] == "comparator"}
    statements = [narrative.headline_sentence(a.borough, year),
                  narrative.rank_sentence(a.borough, int(year["rank"]), int(year["rank_of"]),
                                          year["rate_per_1000"], comparators=others)]
    if london := narrative.london_difference(a.borough, year["differs_from_london"]):
        statements.insert(1, london)
    statements += [narrative.headline_sentence(a.borough, r) for r in rows[1:]]
    cats = _shared.major_categories(a)
    if len(cats):
        statements.append(narrative.category_sentence(
            a.borough, _shared.public_category(a, cats.iloc[0].to_dict()), most_common=True))
        rising = cats[(cats["change_pct"] > 0) & (cats["count"] >= 20)]
        if len(rising):
            r = rising.sort_values("change_pct", ascending=False).iloc[0]
            _, words = _shared.verdict_of(_shared.category_verdicts(a), r["major"])
            statements.append(narrative.largest_rise_sentence(
                str(r["major"]), r["change_pct"], r["london_change_pct"], words))
    return Block().add(bullets(statements), headlines.table_html(a, {"headline": rows}))


def borough_ranking(a: Assessment) -> Block:
    """Every borough's 12-month crime rate, the borough and its comparators marked."""
    rates = measures.rates_in_window(a.crime.data, a.residents, a.window)
    frame = rates.rename(columns={"area": "Borough", "rate_per_1000": "Rate per 1,000"})
    frame = frame.sort_values("Rate per 1,000", ascending=False)
    chart = charts.ranked_bar_chart(
        frame, "Borough", "Rate per 1,000", a.borough,
        "Crimes per 1,000 residents by London borough", marked=list(a.params.comparators),
        x_label="Crimes per 1,000 residents", period_label=months_label(a.window))
    row = rates[rates["area"] == a.borough].iloc[0]
    return Block().add(p(narrative.borough_rank_sentence(
        a.borough, int(row["rank"]), len(rates), row["rate_per_1000"])), chart)


def funnel(a: Assessment) -> Block:
    """Funnel plot: each borough's rate against its population, with Poisson control limits."""
    counts = measures.counts_in_window(a.crime.data, a.window).set_index("borough")["count"]
    table = significance.funnel_table(counts, a.residents, overdispersed=True)
    chart = charts.funnel_plot(table, highlight=a.borough, area="area",
                               title="Crime rate against population, London boroughs",
                               period_label=months_label(a.window))
    own = table[table["area"] == a.borough].iloc[0]
    text = narrative.funnel_sentence(a.borough, own["rate_per_1000"], own["position_95"],
                                     own["target_rate"])
    return Block().add(p(text), p(narrative.FUNNEL_NOTE, "note"), chart)


def crime_types(a: Assessment) -> Block:
    """The main categories over 12 months: count, change, London change, rate and rank."""
    cats = _shared.major_categories(a)
    frame = pd.DataFrame({
        "Crime category": cats["major"],
        "Crimes, last 12 months": cats["count"],
        "Previous 12 months": cats["previous_count"],
        "Change": cats["change_pct"],
        "London change": cats["london_change_pct"],
        "Rate per 1,000": cats["rate_per_1000"],
        "Rank of 32": cats["rank"],
        **_shared.verdict_columns(_shared.category_verdicts(a), cats["major"]),
    })
    # the headline shows the total these rows add up to: protect against it
    shown = _shared.publish_table(a, frame, "Crimes, last 12 months", "Previous 12 months",
                                    totals_shown=True)
    _shared.mark_ties(shown.frame, cats)
    public = shown.frame[~shown.hidden["Change"]]  # the chart draws no "n/a" (change from 0)
    public = public.assign(Change=pd.to_numeric(public["Change"], errors="coerce"))
    chart = charts.bar_chart_change(
        public.rename(columns={"Crime category": "category"}), "category", "Change",
        "London change", f"Change in recorded crime by category, {a.area_label} and London",
        period_label=f"{months_label(a.window)} against the previous 12 months",
        borough_label=a.borough)
    text = narrative.category_sentence(
        a.borough, _shared.public_category(a, cats.iloc[0].to_dict()), most_common=True)
    return Block().add(p(text), chart, tables.html_table(
        shown.frame, f"Crime categories in {a.area_label}, {months_label(a.window)}",
        number_format=_shared.CHANGE_FORMATS,
        notes=[*shown.notes, narrative.RANK_NOTE, narrative.verdict(form="note"),
               *_shared.tie_notes(cats)]))


def data_notes(a: Assessment) -> Block:
    """What the figures rest on: sources, months, population, caveats, and how to read the
    changes (:func:`slp.methods.methods_note`)."""
    items = [c.describe() for c in a.coverages()]
    caveats = [c for cov in a.coverages() for c in cov.caveats]
    caveats.append(narrative.REVISION_CAVEAT)
    text = narrative.population_note(a.population_label, len(a.london))
    block = Block().add(p(text), heading("Sources"), bullets(items, "sources"))
    if a.params.published:
        block.add(*_published_comparison(a))
    block.add(heading("Caveats"), bullets(caveats, "caveats"))
    reference = verdicts.headline_verdict(a.crime.data, a.borough, a.params.period_end)
    return block.add(heading("How to read the changes"),
                     methods.methods_html(reference["reference"]))


def _published_comparison(a: Assessment) -> list[str]:
    """Our headline figures beside those published earlier, with the differences named."""
    from slp import published

    spec = a.params.published
    rows = published.compare(spec, headlines.numbers(a).to_dict("records"))
    if not rows:
        return []
    kinds = {"Total number": "count", "Rank among London boroughs": "count",
             "Crime rate per 1,000": "rate"}
    frame = pd.DataFrame([{
        "Period": f"Last {r['months']} months", "Figure": r["figure"],
        "Published": r["published"],
        "This report": tables.format_number(r["ours"], kinds.get(r["figure"], "change")),
        "Same at the published precision?": "yes" if r["agrees"] else "no",
    } for r in rows])
    words = narrative.published_comparison(sum(not r["agrees"] for r in rows), len(rows),
                                           spec["source"])
    return [heading("Comparison with published figures"), p(words),
            markup(tables.html_table(frame, f"Headline figures here and in the "
                                            f"{spec['source']}"))]
