"""The summary page (``00-summary``): headline figures, the area among its frame's (London's
boroughs, or a police force's authorities), the funnel plot, the area against England and
Wales (the ONS tables), the crime types and what the figures rest on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, disclosure, measures, methods, narrative, significance, tables, verdicts
from slp import headline as headlines
from slp.comparators import compare_to_comparators
from slp.national import national_sentence
from slp.sections import _shared
from slp.sections.blocks import Block, bullets, heading, markup, p, title
from slp.sections.covid import after_pandemic
from slp.sources.police_uk import REVISION_CAVEAT as POLICE_UK_REVISION

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "headline", "borough_ranking", "funnel", "national", "crime_types",
           "data_notes"]

months_label = headlines.months_label


def headline(a: Assessment) -> Block:
    """Key statements and the 12/6/3-month headline table, each change judged against the
    borough's normal variation and against the whole's (London's) change."""
    rows, frame = headlines.rows(a), a.frame
    year = rows[0]
    comp = compare_to_comparators(a.crime.data, a.residents, a.borough,
                                           a.params.comparators, a.params.period_end)
    others = {r["area"]: r["rate_per_1000"] for r in comp.to_dict("records")
              if r["role"] == "comparator"}
    statements = [narrative.headline_sentence(a.borough, year, frame=frame),
                  narrative.rank_sentence(a.borough, int(year["rank"]), int(year["rank_of"]),
                                          year["rate_per_1000"], comparators=others,
                                          frame=frame)]
    if london := narrative.london_difference(a.borough, year["differs_from_london"], frame):
        statements.insert(1, london)
    statements += [narrative.headline_sentence(a.borough, r, frame=frame) for r in rows[1:]]
    cats = _shared.major_categories(a)
    if len(cats):
        statements.append(narrative.category_sentence(
            a.borough, _shared.public_category(a, cats.iloc[0].to_dict()), most_common=True,
            frame=frame))
        rising = cats[(cats["change_pct"] > 0) & (cats["count"] >= 20)]
        if len(rising):
            r = rising.sort_values("change_pct", ascending=False).iloc[0]
            _, words = _shared.verdict_of(_shared.category_verdicts(a), r["major"])
            statements.append(narrative.largest_rise_sentence(
                str(r["major"]), r["change_pct"], r["london_change_pct"], words, frame))
    return Block().add(bullets(statements), headlines.table_html(a, {"headline": rows}))


def borough_ranking(a: Assessment) -> Block:
    """Every member's (borough's) 12-month crime rate, the area and its comparators marked."""
    whole = a.frame
    rates = measures.rates_in_window(a.crime.data, a.residents, a.window)
    column = whole.noun.capitalize()
    frame = rates.rename(columns={"area": column, "rate_per_1000": "Rate per 1,000"})
    frame = frame.sort_values("Rate per 1,000", ascending=False)
    chart = charts.ranked_bar_chart(
        frame, column, "Rate per 1,000", a.borough,
        f"Crimes per 1,000 residents by {whole.member_label}", marked=list(a.params.comparators),
        x_label="Crimes per 1,000 residents", period_label=months_label(a.window))
    row = rates[rates["area"] == a.borough].iloc[0]
    return Block().add(p(narrative.borough_rank_sentence(
        a.borough, int(row["rank"]), len(rates), row["rate_per_1000"], whole)), chart)


def funnel(a: Assessment) -> Block:
    """Funnel plot: each borough's rate against its population, with Poisson control limits."""
    counts = measures.counts_in_window(a.crime.data, a.window).set_index("borough")["count"]
    table = significance.funnel_table(counts, a.residents, overdispersed=True)
    frame = a.frame
    chart = charts.funnel_plot(table, highlight=a.borough, area="area",
                               title=f"Crime rate against population, {frame.members_label}",
                               period_label=months_label(a.window))
    own = table[table["area"] == a.borough].iloc[0]
    text = narrative.funnel_sentence(a.borough, own["rate_per_1000"], own["position_95"],
                                     own["target_rate"], frame)
    return Block().add(p(text), p(narrative.funnel_note(frame), "note"), chart)


def national(a: Assessment) -> Block:
    """The borough's crime rate beside England's (or Wales'), England and Wales', its region's
    and its force's, from the ONS police recorded crime tables (``sources.national``), with a
    table of the rates, offences and populations. One line when no tables were given or they
    do not cover the report's 12 months: nothing is set beside figures for other months."""
    block = a.national
    text = national_sentence(block)
    if block["area_rate_per_1000"] is None:
        return Block().add(p(text))
    frame = national_rows(a.national_tables, block)
    # published national totals, far above any threshold: through the one door all the same
    shown = disclosure.publish(frame, counts=["Offences"], rule=a.rule,
                               derived={"Rate per 1,000": "Offences", "Population": "Offences"})
    years = ", ".join(f"{kind} {year}" for kind, year in _population_years(a, block))
    notes = [f"Source: {block['source']}.",
             "Police recorded crime excluding fraud. Rate per 1,000: offences per 1,000 "
             f"residents, with the populations the tables use ({years}; ONS estimates "
             "rounded to 100). These may differ slightly from the local files and the "
             "population used elsewhere in this report.", *shown.notes]
    frame_words = ["England and Wales", *(["its region"] if block["region"] else []),
                   "its force area"]
    caption = (f"Police recorded crime per 1,000 residents, {block['period']}: {block['area']} "
               f"beside {block['country']}, {', '.join(frame_words[:-1])} and {frame_words[-1]}")
    return Block().add(p(text), tables.html_table(
        shown.frame, caption, notes=notes,
        number_format={"Rate per 1,000": "rate", "Offences": "count", "Population": "count"}))


def national_rows(tables, block: dict) -> pd.DataFrame:
    """The rows of the national table: the area, its country, England and Wales, its region
    (English areas) and its force area, each with its offences, population and rate per 1,000
    in the block's period (the area's CSPs added together)."""
    areas = tables.areas[tables.areas["period"] == block["period"]]
    csps = areas[areas["area_code"].isin(block["csp_codes"])]
    first = csps.iloc[0]
    force = block["force"] if block["force"].lower().endswith("police") else (
        f"{block['force']} Police")
    picks = [
        (block["country"], (areas["area_type"] == "country")
         & (areas["country"] == block["country"])),
        ("England and Wales", areas["area_type"] == "England and Wales"),
        (f"{block['region']} (region)", areas["area_code"] == first["region_code"]),
        (f"{force} force area", areas["area_code"] == first["force_code"]),
    ]
    rows = [{"Area": block["area"], "Rate per 1,000": block["area_rate_per_1000"],
             "Offences": int(csps["offences"].sum()), "Population": int(csps["population"].sum())}]
    for label, where in picks:
        hit = areas[where]
        if len(hit):  # a Welsh area has no region
            row = hit.iloc[0]
            rows.append({"Area": label, "Rate per 1,000": round(float(row["rate_per_1000"]), 1),
                         "Offences": int(row["offences"]), "Population": int(row["population"])})
    return pd.DataFrame(rows)


def _population_years(a: Assessment, block: dict) -> list[tuple[str, str]]:
    """(kind of area, population estimate) pairs of the tables, e.g. ("CSPs", "mid-2022")."""
    areas = a.national_tables.areas
    areas = areas[areas["period"] == block["period"]]
    kinds = {"CSP": "Community Safety Partnerships", "force": "forces, regions and countries"}
    found = []
    for kind, words in kinds.items():
        years = areas.loc[areas["area_type"] == kind, "population_year"].dropna().unique()
        if len(years):
            found.append((words, str(years[0])))
    return found


def crime_types(a: Assessment) -> Block:
    """The main categories over 12 months: count, change, the whole's (London) change, rate and
    rank."""
    cats, whole = _shared.major_categories(a), a.frame
    frame = pd.DataFrame({
        "Crime category": cats["major"],
        "Crimes, last 12 months": cats["count"],
        "Previous 12 months": cats["previous_count"],
        "Change": cats["change_pct"],
        whole.change_column: cats["london_change_pct"],
        "Rate per 1,000": cats["rate_per_1000"],
        whole.rank_column: cats["rank"],
        **_shared.verdict_columns(_shared.category_verdicts(a), cats["major"]),
    })
    # the headline shows the total these rows add up to: protect against it
    shown = _shared.publish_table(a, frame, "Crimes, last 12 months", "Previous 12 months",
                                    totals_shown=True)
    _shared.mark_ties(shown.frame, cats, whole.rank_column)
    public = shown.frame[~shown.hidden["Change"]]  # the chart draws no "n/a" (change from 0)
    public = public.assign(Change=pd.to_numeric(public["Change"], errors="coerce"))
    chart = charts.bar_chart_change(
        public.rename(columns={"Crime category": "category"}), "category", "Change",
        whole.change_column,
        f"Change in recorded crime by category, {a.area_label} and {whole.whole_label}",
        period_label=f"{months_label(a.window)} against the previous 12 months",
        borough_label=a.borough, london_label=whole.whole_label)
    text = narrative.category_sentence(
        a.borough, _shared.public_category(a, cats.iloc[0].to_dict()), most_common=True,
        frame=whole)
    return Block().add(p(text), chart, tables.html_table(
        shown.frame, f"Crime categories in {a.area_label}, {months_label(a.window)}",
        number_format=_shared.change_formats(whole),
        notes=[*shown.notes, narrative.rank_note(whole), headlines.verdict_note(a),
               *_shared.tie_notes(cats, whole)]))


def data_notes(a: Assessment) -> Block:
    """What the figures rest on: sources, months, population, caveats, and how to read the
    changes (:func:`slp.methods.methods_note`)."""
    items = [c.describe() for c in a.coverages()]
    caveats = [c for cov in a.coverages() for c in cov.caveats]
    caveats.append(POLICE_UK_REVISION if a.is_police_uk else narrative.REVISION_CAVEAT)
    text = narrative.population_note(a.population_label, a.frame)
    block = Block().add(p(text), heading("Sources"), bullets(items, "sources"))
    if a.params.published:
        block.add(*_published_comparison(a))
    block.add(heading("Caveats"), bullets(caveats, "caveats"))
    reference = verdicts.headline_verdict(a.crime.data, a.borough, a.params.period_end)
    return block.add(heading("How to read the changes"),
                     methods.methods_html(reference["reference"], a.frame,
                                          pandemic=after_pandemic(a) is None))


def _published_comparison(a: Assessment) -> list[str]:
    """Our headline figures beside those published earlier, with the differences named."""
    from slp import published

    spec = a.params.published
    labels = published.labels(a.frame)
    rows = published.compare(spec, headlines.numbers(a).to_dict("records"), labels)
    if not rows:
        return []
    kinds = {labels["count"]: "count", labels["rank"]: "count",
             labels["rate_per_1000"]: "rate"}
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
