"""The sections of the assessment notebooks: one function per section, words from numbers.

Each function takes an :class:`~slp.assessment.Assessment` and returns a :class:`Block` of
HTML (sentences, an accessible chart with its data table, tables) that a notebook displays.
Disclosure control is applied here, to every count a reader sees.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from slp import charts, disclosure, maps, measures, narrative, significance, tables
from slp import headline as headlines
from slp.periods import Window

e = html.escape


@dataclass
class Block:
    """HTML parts shown together in a notebook output (``_repr_html_``)."""

    parts: list[str] = field(default_factory=list)

    def add(self, *parts) -> Block:
        for part in parts:
            if part is None:
                continue
            self.parts.append(part if isinstance(part, str) else _markup(part))
        return self

    def html(self) -> str:
        return "\n".join(self.parts)

    def _repr_html_(self) -> str:
        return self.html()


def _markup(obj) -> str:
    for attr in ("html", "_repr_html_"):
        if hasattr(obj, attr):
            return getattr(obj, attr)()
    return str(obj)


def p(text: str, cls: str | None = None) -> str:
    return f'<p class="{cls}">{e(text)}</p>' if cls else f"<p>{e(text)}</p>"


def bullets(items: list[str], cls: str = "key-statements") -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{e(i)}</li>" for i in items if i) + "</ul>"


def missing_source(what: str, source: str, key: str, instead: str) -> str:
    """A plain statement that a source is not configured; never a made-up figure."""
    return (f'<div class="missing-source" role="note"><p><strong>No {e(source)} is configured '
            f"for this run</strong> (parameter <code>sources.{e(key)}</code>), so this section "
            f"shows no {e(what)} figures. {e(instead)}</p></div>")


_months_label = headlines.months_label


def _rule(a) -> disclosure.DisclosureRule:
    return a.rule


def _suppress_column(frame: pd.DataFrame, columns, a, *, sensitive: bool = False,
                     totals_shown: bool = False) -> tuple[pd.DataFrame, str]:
    """:func:`slp.disclosure.suppress_columns` with the assessment's rule."""
    return disclosure.suppress_columns(frame, columns, a.rule, sensitive=sensitive,
                                       totals_shown=totals_shown)


def _hidden(value) -> bool:
    return isinstance(value, str)


# ------------------------------------------------------------------------------------------
# title and summary
# ------------------------------------------------------------------------------------------

def title(a, name: str) -> Block:
    """The page's single ``<h1>`` and its opening line."""
    return Block().add(f"<h1>{e(name)}: {e(a.title_suffix)}</h1>", p(lede(a), "lede"))


# The headline figures are also on the contents page, which the runner writes without
# importing the charts: they live in slp.headline.
lede = headlines.lede
headline_table_html = headlines.table_html
_headline_numbers = headlines.numbers


def headline(a) -> Block:
    """Key statements and the 12/6/3-month headline table."""
    head = _headline_numbers(a)
    rows = head.to_dict("records")
    statements = [narrative.headline_sentence(a.borough, r) for r in rows[:1]]
    year = rows[0]
    comp = measures.compare_to_comparators(a.crime.data, a.residents, a.borough,
                                           a.params.comparators, a.params.period_end)
    others = {r["area"]: r["rate_per_1000"] for r in comp.to_dict("records")
              if r["role"] == "comparator"}
    statements.append(narrative.rank_sentence(a.borough, int(year["rank"]), int(year["rank_of"]),
                                              year["rate_per_1000"], comparators=others))
    for r in rows[1:]:
        statements.append(narrative.headline_sentence(a.borough, r))
    cats = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end)
    if len(cats):
        top = cats.iloc[0].to_dict() | {"category": cats.iloc[0]["major"]}
        statements.append(narrative.category_sentence(a.borough, _public_row(a, top),
                                                      most_common=True))
        rising = cats[(cats["change_pct"] > 0) & (cats["count"] >= 20)]
        if len(rising):
            r = rising.sort_values("change_pct", ascending=False).iloc[0]
            statements.append(
                f"The largest rise among the main crime categories was in "
                f"{str(r['major']).lower()}, up {narrative.percent(r['change_pct'])} "
                f"(London: {r['london_change_pct']:+.1f}%); {significance_words(r)}.")
    return Block().add(bullets(statements), headline_table_html(a, None))


def significance_words(row) -> str:
    return ("a statistically significant change" if row["significant"]
            else "within normal variation")


def _public_row(a, row: dict) -> dict:
    """A figures row with its count suppressed when small (published audience)."""
    out = dict(row)
    out["count"] = disclosure.suppress_value(int(row["count"]), _rule(a))
    if _hidden(out["count"]):
        out["change_pct"] = None
    return out


def borough_ranking(a) -> Block:
    """Every borough's 12-month crime rate, the borough and its comparators marked."""
    rates = measures.rates_in_window(a.crime.data, a.residents, a.window)
    frame = rates.rename(columns={"area": "Borough", "rate_per_1000": "Rate per 1,000"})
    frame = frame.sort_values("Rate per 1,000", ascending=False)
    chart = charts.ranked_bar_chart(
        frame, "Borough", "Rate per 1,000", a.borough,
        "Crimes per 1,000 residents by London borough", marked=list(a.params.comparators),
        x_label="Crimes per 1,000 residents", period_label=_months_label(a.window))
    row = rates[rates["area"] == a.borough].iloc[0]
    text = (f"{a.borough} ranks {narrative.ordinal(int(row['rank']))} of {len(rates)} boroughs "
            f"with {row['rate_per_1000']:.1f} crimes per 1,000 residents.")
    return Block().add(p(text), chart)


def funnel(a) -> Block:
    """Funnel plot: each borough's rate against its population, with Poisson control limits."""
    counts = measures.counts_in_window(a.crime.data, a.window).set_index("borough")["count"]
    table = significance.funnel_table(counts, a.residents, overdispersed=True)
    chart = charts.funnel_plot(table, highlight=a.borough, area="area",
                               title="Crime rate against population, London boroughs",
                               period_label=_months_label(a.window))
    own = table[table["area"] == a.borough].iloc[0]
    where = {"above": "above the upper", "below": "below the lower", "within": "within the"}
    text = (f"{a.borough}'s rate of {own['rate_per_1000']:.1f} per 1,000 lies "
            f"{where[own['position_95']]} 95% limit around London's rate of "
            f"{own['target_rate']:.1f}" + (
                "; a difference that large is unlikely to be chance or the ordinary "
                "variation between boroughs."
                if own["position_95"] != "within" else
                ": its difference from London is within the ordinary variation between "
                "boroughs."))
    note = ("The limits allow for the real variation between boroughs as well as chance "
            "(an overdispersed funnel plot, Spiegelhalter 2005).")
    return Block().add(p(text), p(note, "note"), chart)


def crime_types(a) -> Block:
    """The main categories over 12 months: count, change, London change, rate and rank."""
    cats = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end)
    frame = pd.DataFrame({
        "Crime category": cats["major"],
        "Crimes, last 12 months": cats["count"],
        "Previous 12 months": cats["previous_count"],
        "Change": cats["change_pct"],
        "London change": cats["london_change_pct"],
        "Rate per 1,000": cats["rate_per_1000"],
        "Rank of 32": cats["rank"],
        "Beyond normal variation?": cats["significant"].map({True: "yes", False: "no"}),
    })
    frame, note = _suppress_column(frame, ["Crimes, last 12 months", "Previous 12 months"], a,
                                   totals_shown=True)
    hidden = frame["Crimes, last 12 months"].map(_hidden) | frame["Previous 12 months"].map(_hidden)
    frame.loc[hidden, "Change"] = None
    frame.loc[frame["Crimes, last 12 months"].map(_hidden), "Rate per 1,000"] = None
    chart = charts.bar_chart_change(
        frame[~hidden].rename(columns={"Crime category": "category"}), "category", "Change",
        "London change", f"Change in recorded crime by category, {a.area_label} and London",
        period_label=f"{_months_label(a.window)} against the previous 12 months",
        borough_label=a.borough)
    top = cats.iloc[0]
    text = narrative.category_sentence(
        a.borough, _public_row(a, top.to_dict() | {"category": top["major"]}), most_common=True)
    return Block().add(p(text), chart, tables.html_table(
        frame, f"Crime categories in {a.area_label}, {_months_label(a.window)}",
        number_format={"Change": "change", "London change": "change", "Rate per 1,000": "rate"},
        notes=[n for n in [note, "Rank: the borough's rate for the category among the 32 "
                                 "London boroughs, 1 = highest."] if n]))


def data_notes(a) -> Block:
    """What the figures rest on: sources, months, population, caveats."""
    items = [c.describe() for c in a.coverages()]
    caveats = [c for cov in a.coverages() for c in cov.caveats]
    caveats.append("The MPS revises past months in every monthly refresh, so figures here can "
                   "differ slightly from figures published earlier from an older download.")
    text = (f"Rates per 1,000 residents use {a.population_label}. London means the "
            f"{len(a.london)} boroughs policed by the MPS; rows not attributed to a borough "
            "(such as the airports) are left out of both borough and London totals.")
    block = Block().add(p(text), "<h3>Sources</h3>", bullets(items, "sources"))
    if a.params.published:
        block.add(*published_comparison(a))
    return block.add("<h3>Caveats</h3>", bullets(caveats, "caveats"))


def published_comparison(a) -> list[str]:
    """Our headline figures beside those published earlier, with the differences named."""
    from slp import published

    spec = a.params.published
    rows = published.compare(spec, _headline_numbers(a).to_dict("records"))
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
    differ = [r for r in rows if not r["agrees"]]
    if differ:
        words = (f"{len(differ)} of the {len(rows)} figures published in the {spec['source']} "
                 "differ slightly from the figures here. The police data are revised every "
                 "month as crimes are reclassified or recorded late, so a later download gives "
                 "slightly different counts for the same months; figures here come from the "
                 "files listed above.")
    else:
        words = (f"All {len(rows)} figures published in the {spec['source']} are reproduced "
                 "here at the precision they were printed.")
    return ["<h3>Comparison with published figures</h3>", p(words),
            _markup(tables.html_table(frame, f"Headline figures here and in the "
                                             f"{spec['source']}"))]


# ------------------------------------------------------------------------------------------
# trends
# ------------------------------------------------------------------------------------------

def monthly_trend(a) -> Block:
    """Monthly counts since the data begin, with a 12-month rolling average."""
    series = measures.monthly_counts(a.crime.data, a.borough)
    series = series[series.index <= a.period_end]
    frame = pd.DataFrame({"Month": series.index.strftime("%b %Y"),
                          "Crimes": series.to_numpy(),
                          "12-month average": series.rolling(12).mean().round(1).to_numpy()})
    first, last = series.index[0], series.index[-1]
    chart = charts.line_chart(
        frame, "Month", ["Crimes", "12-month average"],
        f"Crimes recorded each month in {a.area_label}", "Crimes per month",
        f"{first:%B %Y} to {last:%B %Y}")
    peak = series.idxmax()
    year_ago = series.get(a.period_end - 12)
    text = (f"The busiest month was {peak.strftime('%B %Y')} with {series.max():,} crimes. "
            f"{a.period_end.strftime('%B %Y')} had {series.iloc[-1]:,}"
            + (f", against {year_ago:,} a year earlier." if year_ago is not None else "."))
    return Block().add(p(text), chart)


def seasonality(a) -> Block:
    """STL decomposition of the monthly series: trend, seasonal pattern, remainder."""
    from slp import seasonality as seasonal

    series = measures.monthly_counts(a.crime.data, a.borough)
    series = series[series.index <= a.period_end]
    parts = seasonal.decompose(series)
    profile = seasonal.seasonal_profile(parts).set_index("month_name")["pct_of_level"]
    trend = seasonal.summarise_trend(parts)
    high, low = profile.idxmax(), profile.idxmin()
    text = [seasonal.describe_trend(trend),
            f"Crime is usually highest in {high} ({profile[high]:+.1f}% against the underlying "
            f"level) and lowest in {low} ({profile[low]:+.1f}%)."]
    return Block().add(bullets(text), charts.seasonal_chart(
        parts, title=f"Trend and seasonal pattern of monthly crime in {a.area_label}"))


def category_trends(a) -> Block:
    """Each main category, 12 months against the previous 12, beside London."""
    cats = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end)
    big = cats[cats["count"] >= 20]
    lines = [narrative.category_sentence(a.borough, _public_row(a, r | {"category": r["major"]}))
             + f" ({significance_words(r).capitalize()}.)" for r in big.head(5).to_dict("records")]
    return Block().add(bullets(lines))


def largest_changes(a) -> Block:
    """The detailed categories with the largest increases and decreases."""
    table = measures.largest_changes(a.crime.data, a.residents, a.borough, a.params.period_end,
                                     level="minor", n=5)
    frame = pd.DataFrame({
        "Direction": table["direction"],
        "Category": table["major"],
        "Detailed category": table["minor"],
        "Last 12 months": table["count"],
        "Previous 12 months": table["previous_count"],
        "Change (crimes)": table["change"],
        "Change": table["change_pct"],
        "London change": table["london_change_pct"],
        "Beyond normal variation?": table["significant"].map({True: "yes", False: "no"}),
    })
    frame, note = _suppress_column(frame, ["Last 12 months", "Previous 12 months"], a)
    hidden = frame["Last 12 months"].map(_hidden) | frame["Previous 12 months"].map(_hidden)
    frame.loc[hidden, ["Change (crimes)", "Change"]] = None
    lines = []
    for direction in ("increase", "decrease"):
        rows = table[table["direction"] == direction]
        if len(rows):
            r = rows.iloc[0]
            lines.append(f"The largest {direction} was in {str(r['minor']).lower()} "
                         f"({str(r['major']).lower()}): {int(abs(r['change'])):,} "
                         f"{'more' if direction == 'increase' else 'fewer'} crimes, "
                         f"{narrative.percent(r['change_pct'])}; {significance_words(r)}.")
    return Block().add(bullets(lines), tables.html_table(
        frame, f"Largest changes by detailed category, {a.area_label}, "
               f"{_months_label(a.window)} against the previous 12 months",
        number_format={"Change": "change", "London change": "change",
                       "Change (crimes)": "signed"},
        notes=[note] if note else None))


def comparators(a) -> Block:
    """The borough beside its comparators and London."""
    comp = measures.compare_to_comparators(a.crime.data, a.residents, a.borough,
                                           a.params.comparators, a.params.period_end)
    frame = pd.DataFrame({
        "Area": comp["area"], "Crimes, last 12 months": comp["count"],
        "Rate per 1,000": comp["rate_per_1000"], "Change": comp["change_pct"],
        "Rank of 32": comp["rank"].astype("object").where(comp["rank"].notna(), "-"),
    })
    if not a.params.comparators:
        return Block().add(p("No comparator boroughs are named in the parameters."))
    lines = [f"{r['area']}: {r['rate_per_1000']:.1f} crimes per 1,000 residents, a "
             f"{r['position']} rate than {a.borough}; crime "
             f"{narrative.direction(r['change_pct'])} on the previous 12 months."
             for r in comp.to_dict("records") if r["role"] != "borough"]
    return Block().add(bullets(lines), tables.html_table(
        frame, f"{a.area_label}, comparator boroughs and London, {_months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Change": "change"}))


# ------------------------------------------------------------------------------------------
# COVID-19
# ------------------------------------------------------------------------------------------

COVID_START = pd.Period("2017-01", freq="M")


def covid_rates(a) -> Block:
    """Monthly crime rate per 1,000 since January 2017: borough, comparators, London."""
    from slp import covid

    start = max(COVID_START, a.crime.data["month"].min())
    areas = [a.borough, *a.params.comparators]
    rates = measures.monthly_rates(a.crime.data, a.residents, areas, start, a.period_end)
    wide = rates.pivot(index="month", columns="area", values="rate_per_1000")
    wide = wide[[*areas, measures.LONDON]].round(2)
    frame = wide.reset_index()
    shade = [(lock.months[0], lock.months[-1], lock.name) for lock in covid.LOCKDOWNS]
    period = f"{start.strftime('%B %Y')} to {a.period_end.strftime('%B %Y')}"
    chart = charts.line_chart(frame, "month", [*areas, measures.LONDON],
                              "Monthly crimes per 1,000 residents", "Crimes per 1,000 residents",
                              period, shade=shade, number_format="rate")
    own = wide[a.borough]
    lines = []
    if pd.Period("2020-02", freq="M") in own.index and pd.Period("2020-04", freq="M") in own.index:
        feb, apr = own[pd.Period("2020-02", freq="M")], own[pd.Period("2020-04", freq="M")]
        lines.append(f"{a.borough}'s monthly rate fell from {feb:.1f} per 1,000 in February "
                     f"2020 to {apr:.1f} in April 2020, the first full month of lockdown.")
    last12 = wide.loc[wide.index > a.period_end - 12]
    above = [c for c in wide.columns if c != a.borough
             and last12[c].mean() > last12[a.borough].mean()]
    below = [c for c in wide.columns if c != a.borough and c not in above]
    if above:
        lines.append(f"Over the last 12 months the average monthly rate was higher in "
                     f"{narrative._join(above)} than in {a.borough}.")
    if below:
        lines.append(f"It was lower in {narrative._join(below)}.")
    return Block().add(bullets(lines), chart)


def expected_vs_observed(a) -> Block:
    """Crime against what the pre-pandemic trend and seasonality would have predicted."""
    from slp import covid

    series = measures.monthly_counts(a.crime.data, a.borough)
    series = series[(series.index >= COVID_START) & (series.index <= a.period_end)]
    if series.index.min() > pd.Period("2018-02", freq="M"):
        return Block().add(p("The borough file does not reach back far enough before the "
                             "pandemic (at least 24 months before March 2020 are needed) to "
                             "fit a pre-pandemic baseline."))
    table = covid.expected_vs_observed(series, through=a.period_end)
    chart = charts.expected_vs_observed_chart(
        table, title=f"Recorded and expected crimes per month, {a.area_label}",
        period_label=f"baseline January 2017 to February 2020, projected to "
                     f"{a.period_end.strftime('%B %Y')}")
    recent = table[table["month"] > a.period_end - 12]
    observed, expected = recent["observed"].sum(), recent["expected"].sum()
    pct = 100 * (observed / expected - 1)
    outside = int((recent["position"] != "within").sum())
    lines = [f"Over the last 12 months {a.borough} recorded {observed:,.0f} crimes against "
             f"{expected:,.0f} expected from the pre-pandemic pattern: "
             f"{narrative.percent(pct)} {'more' if pct > 0 else 'fewer'}.",
             f"{outside} of those 12 months fell outside the 95% prediction interval; chance "
             "alone would put about 0.6 of 12 months there."]
    lockdown = table[table["month"].isin(covid.lockdown_months())]
    if len(lockdown):
        low = lockdown.loc[lockdown["pct_diff"].idxmin()]
        lines.append(f"The deepest fall was in {low['month'].strftime('%B %Y')}: "
                     f"{narrative.percent(low['pct_diff'])} below the expected level.")
    return Block().add(bullets(lines), chart)


def pre_pandemic(a) -> Block:
    """Each main category's last 12 months against the 12 months to February 2020."""
    from slp import covid

    if a.crime.data["month"].min() > pd.Period("2019-03", freq="M"):
        return Block().add(p("The borough file starts after March 2019, so there is no "
                             "pre-pandemic year to compare with."))
    table = covid.pre_pandemic_comparison(a.crime.data, a.borough, a.params.period_end)
    frame = pd.DataFrame({
        "Crime category": table["major"],
        "Last 12 months": table["count"],
        "12 months to February 2020": table["pre_pandemic_count"].round().astype("int64"),
        "Against pre-pandemic": table["change_pct"],
        "Beyond normal variation?": table["significant"].map({True: "yes", False: "no"}),
    })
    body = frame[frame["Crime category"] != "All crime"]
    total_row = frame[frame["Crime category"] == "All crime"]
    body, note = _suppress_column(body, ["Last 12 months", "12 months to February 2020"], a)
    hidden = body["Last 12 months"].map(_hidden) | body["12 months to February 2020"].map(_hidden)
    body.loc[hidden, "Against pre-pandemic"] = None
    frame = pd.concat([body, total_row], ignore_index=True)
    lines = []
    for r in table[table["major"] != "All crime"].to_dict("records"):
        if r["count"] >= 20 and r["significant"]:
            lines.append(narrative.pre_pandemic_sentence(r["major"], r["change_pct"], True))
    overall = table[table["major"] == "All crime"].iloc[0]
    lines.insert(0, f"All crime: {narrative.count(overall['count'])} in the last 12 months, "
                    f"{narrative.percent(overall['change_pct'])} "
                    f"{'above' if overall['change_pct'] > 0 else 'below'} the 12 months to "
                    "February 2020.")
    return Block().add(bullets(lines[:8]), tables.html_table(
        frame, f"Crime categories in {a.area_label}: last 12 months against the 12 months "
               "before the pandemic (March 2019 to February 2020)",
        number_format={"Against pre-pandemic": "change"},
        notes=[n for n in [note, "Only categories whose difference is beyond normal variation "
                                 "are described in words above; population change between the "
                                 "two periods is not taken into account."] if n]))


# ------------------------------------------------------------------------------------------
# dashboard measures: domestic abuse, knife and gun crime
# ------------------------------------------------------------------------------------------

DASHBOARD_NAMES = {
    "domestic_abuse": "domestic abuse offences",
    "knife_crime": "knife crime offences",
    "knife_crime_with_injury": "knife crime with injury offences",
    "gun_crime": "gun crime offences",
}


def _dashboard_as_crime(a, measure: str) -> pd.DataFrame | None:
    """One dashboard measure in the recorded-crime shape, so the same measures apply."""
    if a.dashboard is None:
        return None
    data = a.dashboard.data
    data = data[data["measure"] == measure]
    if data.empty:
        return None
    return data.assign(major=measure, minor=measure)[["borough", "major", "minor", "month",
                                                       "count"]]


def _dashboard_end(a, frame: pd.DataFrame) -> pd.Period:
    """The dashboard often lags the recorded-crime files: use its last month up to period_end."""
    return min(a.period_end, frame["month"].max())


def _dashboard_block(a, measure: str) -> tuple[list[str], dict] | None:
    """Sentences and the published row for one dashboard measure over 12 months."""
    frame = _dashboard_as_crime(a, measure)
    if frame is None:
        return None
    end = _dashboard_end(a, frame)
    row = measures.headline_table(frame, a.residents, a.borough, end, lengths=(12,)).iloc[0]
    row = row.to_dict()
    public = _public_row(a, row)
    name = DASHBOARD_NAMES[measure]
    words = narrative.headline_sentence(a.borough, public, noun=name[:-1],
                                        london_noun=name.replace(" offences", ""))
    if row.get("rank") and not _hidden(public["count"]):
        words += (f" That is the {narrative.ordinal(int(row['rank']))} highest rate of "
                  f"{int(row['rank_of'])} London boroughs ({row['rate_per_1000']:.2f} per 1,000 "
                  "residents).")
    return [words], public | {"end": end, "measure": measure}


def _dashboard_table(a, rows: list[dict]) -> str:
    def shown(r):
        previous = disclosure.suppress_value(int(r["previous_count"]), _rule(a))
        hidden = _hidden(r["count"]) or _hidden(previous)
        return {
            "Measure": DASHBOARD_NAMES[r["measure"]].capitalize(),
            "12 months to": narrative.month_name(r["end"]),
            "Offences": r["count"], "Previous 12 months": previous,
            "Change": None if hidden else r["change_pct"],
            "London change": r["london_change_pct"],
            "Rate per 1,000": None if _hidden(r["count"]) else r["rate_per_1000"],
            "Rank of 32": r["rank"],
        }
    frame = pd.DataFrame([shown(r) for r in rows])
    return _markup(tables.html_table(
        frame, f"MPS Monthly Crime Dashboard measures for {a.area_label}",
        number_format={"Change": "change", "London change": "change", "Rate per 1,000": "rate"},
        notes=[n for n in [disclosure.suppression_note(_rule(a)),
                           "Source: MPS Monthly Crime Dashboard (flagged offences)."] if n]))


def _dashboard_chart(a, measures_: list[str], title: str) -> charts.Chart | None:
    frames = []
    for m in measures_:
        frame = _dashboard_as_crime(a, m)
        if frame is None:
            continue
        series = measures.monthly_counts(frame, a.borough)
        frames.append(series.rename(DASHBOARD_NAMES[m].capitalize()))
    if not frames:
        return None
    wide = pd.concat(frames, axis=1)
    end = wide.index.max()
    wide = wide[wide.index > end - 36]
    frame = wide.reset_index()
    return charts.line_chart(frame, "month", list(wide.columns), title, "Offences per month",
                             f"{wide.index.min():%B %Y} to {end:%B %Y}", rule=_rule(a))


def domestic_abuse(a) -> Block:
    """Domestic-abuse volume, rate, change, London comparison and rank (dashboard source)."""
    found = _dashboard_block(a, "domestic_abuse")
    if found is None:
        return Block().add(missing_source(
            "domestic-abuse", "MPS Monthly Crime Dashboard file", "dashboard",
            "Domestic abuse is a flag on offences, not a crime category, so it cannot be "
            "counted from the recorded-crime files; the figures below for sexual offences and "
            "violence against the person are what those files support."))
    words, row = found
    return Block().add(bullets(words), _dashboard_table(a, [row]), _dashboard_chart(
        a, ["domestic_abuse"], f"Domestic abuse offences per month, {a.area_label}"))


def _category_rows(a, majors: list[str]) -> pd.DataFrame:
    cats = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end,
                                     level="minor")
    wanted = {m.lower() for m in majors}
    return cats[cats["major"].str.lower().isin(wanted)]


def vawg_recorded(a) -> Block:
    """Sexual offences and violence against the person from the recorded-crime files."""
    majors = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end)
    chosen = majors[majors["major"].str.lower().isin(
        ["sexual offences", "violence against the person"])]
    if chosen.empty:
        return Block().add(p("The recorded-crime files have no sexual offences or violence "
                             "against the person categories."))
    lines = [narrative.category_sentence(a.borough, _public_row(a, r | {"category": r["major"]}))
             for r in chosen.to_dict("records")]
    minors = _category_rows(a, list(chosen["major"]))
    frame = pd.DataFrame({
        "Category": minors["major"], "Detailed category": minors["minor"],
        "Last 12 months": minors["count"], "Previous 12 months": minors["previous_count"],
        "Change": minors["change_pct"], "London change": minors["london_change_pct"],
        "Rate per 1,000": minors["rate_per_1000"],
    })
    frame, note = _suppress_column(frame, ["Last 12 months", "Previous 12 months"], a)
    hidden = frame["Last 12 months"].map(_hidden) | frame["Previous 12 months"].map(_hidden)
    frame.loc[hidden, "Change"] = None
    frame.loc[frame["Last 12 months"].map(_hidden), "Rate per 1,000"] = None
    return Block().add(bullets(lines), tables.html_table(
        frame, f"Sexual offences and violence against the person in {a.area_label} by "
               f"detailed category, {_months_label(a.window)}",
        number_format={"Change": "change", "London change": "change", "Rate per 1,000": "rate"},
        notes=[n for n in [note] if n] or None))


def knife_gun(a) -> Block:
    """Knife crime, knife crime with injury and gun crime from the dashboard source."""
    names = ["knife_crime", "knife_crime_with_injury", "gun_crime"]
    found = [f for f in (_dashboard_block(a, m) for m in names) if f]
    if not found:
        return Block().add(missing_source(
            "knife or gun crime", "MPS Monthly Crime Dashboard file", "dashboard",
            "Knife and gun crime are flags on offences of many types; the recorded-crime "
            "files cannot count them. The possession-of-weapons offences below are a different "
            "measure."))
    lines = [w for words, _ in found for w in words]
    missing = [DASHBOARD_NAMES[m] for m in names
               if m not in {row["measure"] for _, row in found}]
    if missing:
        lines.append(f"The dashboard file has no {narrative._join(missing)}.")
    return Block().add(bullets(lines), _dashboard_table(a, [row for _, row in found]),
                       _dashboard_chart(a, names, f"Knife and gun crime per month, "
                                                  f"{a.area_label}"))


def weapon_possession(a) -> Block:
    """Possession of weapons offences (recorded crime), labelled as possession offences."""
    rows = _category_rows(a, ["possession of weapons"])
    if rows.empty:
        return Block().add(p("The recorded-crime files have no possession of weapons "
                             "category for this period."))
    total = int(rows["count"].sum())
    frame = pd.DataFrame({
        "Possession offence": rows["minor"], "Last 12 months": rows["count"],
        "Previous 12 months": rows["previous_count"], "Change": rows["change_pct"],
        "London change": rows["london_change_pct"], "Rate per 1,000": rows["rate_per_1000"],
        "Rank of 32": rows["rank"],
    })
    frame, note = _suppress_column(frame, ["Last 12 months", "Previous 12 months"], a)
    hidden = frame["Last 12 months"].map(_hidden) | frame["Previous 12 months"].map(_hidden)
    frame.loc[hidden, "Change"] = None
    frame.loc[frame["Last 12 months"].map(_hidden), "Rate per 1,000"] = None
    previous = int(rows["previous_count"].sum())
    row = {"months": 12, "end": str(a.period_end), "count": total,
           "change_pct": measures.percent_change(total, previous)}
    text = narrative.headline_sentence(a.borough, _public_row(a, row),
                                       noun="possession of weapons offence")
    return Block().add(p(text), tables.html_table(
        frame, f"Possession of weapons offences in {a.area_label}, {_months_label(a.window)}",
        number_format={"Change": "change", "London change": "change", "Rate per 1,000": "rate"},
        notes=[n for n in [note, "These are offences of possessing a weapon; they are not "
                                 "the knife-crime flag, which marks offences of any type in "
                                 "which a knife was used or threatened."] if n]))


# ------------------------------------------------------------------------------------------
# wards
# ------------------------------------------------------------------------------------------

def _ward_missing(a) -> str | None:
    needs = [("ward_crime", a.ward), ("ward_boundaries", a.ward_boundaries),
             ("ward_population", a.ward_population)]
    absent = [k for k, v in needs if v is None]
    if absent:
        return missing_source("ward", f"{absent[0].replace('_', ' ')} source", absent[0],
                              "The ward maps need ward crime, ward "
                              "boundaries and ward populations (sources.ward_crime, "
                              "sources.ward_boundaries, sources.ward_population with "
                              "sources.lsoa_ward_lookup).")
    return None


def _ward_frame(a, window: Window) -> pd.DataFrame | None:
    """Count, residents and rate per ward of the borough in ``window`` (None if not covered)."""
    data = a.ward.data
    data = data[data["borough"] == a.borough]
    months = set(data["month"].unique())
    if not all(m in months for m in window.periods):
        return None
    now = data[data["month"].isin(window.periods)]
    counts = now.groupby(["ward_code", "ward_name"])["count"].sum().reset_index()
    counts["residents"] = counts["ward_code"].map(a.ward_population)
    counts["rate_per_1000"] = measures.rate_per_1000(counts["count"], counts["residents"])
    return counts


def _ward_shapes(a, codes) -> pd.DataFrame:
    shapes = a.ward_boundaries
    return shapes[shapes["code"].isin(set(codes))].reset_index(drop=True)


def _ward_coverage_note(a) -> str:
    months = a.ward.data["month"]
    return (f"Ward file covers {months.min():%B %Y} to {months.max():%B %Y} ({a.ward.geography}). "
            "Not every offence is recorded against a ward, so ward counts add up to a little "
            "less than the borough total.")


def ward_rates(a) -> Block:
    """Choropleth and table of ward crime rates per 1,000 residents, last 12 months."""
    if (missing := _ward_missing(a)) is not None:
        return Block().add(missing)
    wards = _ward_frame(a, a.window)
    if wards is None:
        return Block().add(p(f"The ward file does not cover all of {_months_label(a.window)}. "
                             + _ward_coverage_note(a)))
    shapes = _ward_shapes(a, wards["ward_code"])
    values = wards.set_index("ward_code")["rate_per_1000"]
    _, hidden = _ward_counts_shown(a, wards)
    chart = maps.choropleth(shapes, values, f"Crimes per 1,000 residents by ward, {a.area_label}",
                            "Crimes per 1,000 residents", period_label=_months_label(a.window),
                            number_format="rate", note=_ward_coverage_note(a),
                            suppressed=hidden)
    top = wards.sort_values("rate_per_1000", ascending=False)
    frame = pd.DataFrame({"Ward": top["ward_name"], "Crimes, last 12 months": top["count"],
                          "Residents": top["residents"], "Rate per 1,000": top["rate_per_1000"]})
    frame, note = _suppress_column(frame, ["Crimes, last 12 months"], a)
    first = top.iloc[0]
    most = top.sort_values("count", ascending=False).iloc[0]
    lines = [f"{first['ward_name']} has the highest rate, {first['rate_per_1000']:.1f} crimes per "
             f"1,000 residents; {top.iloc[-1]['ward_name']} the lowest, "
             f"{top.iloc[-1]['rate_per_1000']:.1f}.",
             f"{most['ward_name']} recorded the most crimes: "
             f"{narrative.count(disclosure.suppress_value(int(most['count']), _rule(a)))}.",
             f"The {len(top)} wards together recorded {int(top['count'].sum()):,} crimes."]
    return Block().add(bullets(lines), chart, tables.html_table(
        frame, f"Ward crime rates in {a.area_label}, {_months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Residents": "count"},
        notes=[n for n in [note, f"Ward populations: {a.extra_coverage[0].source}"
                           if a.extra_coverage else None] if n]))


def ward_change(a) -> Block:
    """Change in each ward's count against the previous 12 months."""
    if (missing := _ward_missing(a)) is not None:
        return Block().add(missing)
    now, before = _ward_frame(a, a.window), _ward_frame(a, a.window.previous())
    if now is None or before is None:
        return Block().add(p(
            f"The ward file does not cover both {_months_label(a.window)} and the 12 months "
            f"before, so the change by ward cannot be shown. {_ward_coverage_note(a)}"))
    merged = now.merge(before[["ward_code", "count"]], on="ward_code",
                       suffixes=("", "_previous"))
    merged["change_pct"] = measures.percent_change(merged["count"], merged["count_previous"])
    merged["significant"] = [significance.compare_counts(c, q).significant
                             for c, q in zip(merged["count"], merged["count_previous"],
                                             strict=True)]
    shapes = _ward_shapes(a, merged["ward_code"])
    chart = maps.choropleth(shapes, merged.set_index("ward_code")["change_pct"],
                            f"Change in recorded crime by ward, {a.area_label}",
                            "Change on previous 12 months (%)", diverging=True,
                            period_label=f"{_months_label(a.window)} against the previous 12 "
                                         "months", number_format="change")
    merged = merged.sort_values("change_pct", ascending=False)
    frame = pd.DataFrame({"Ward": merged["ward_name"], "Last 12 months": merged["count"],
                          "Previous 12 months": merged["count_previous"],
                          "Change": merged["change_pct"],
                          "Beyond normal variation?": merged["significant"].map(
                              {True: "yes", False: "no"})})
    frame, note = _suppress_column(frame, ["Last 12 months", "Previous 12 months"], a)
    up, down = merged.iloc[0], merged.iloc[-1]
    lines = [f"The largest rise was in {up['ward_name']} ({up['change_pct']:+.1f}%), the "
             f"largest fall in {down['ward_name']} ({down['change_pct']:+.1f}%).",
             f"{int(merged['significant'].sum())} of {len(merged)} wards changed by more than "
             "normal variation."]
    return Block().add(bullets(lines), chart, tables.html_table(
        frame, f"Change by ward, {a.area_label}", number_format={"Change": "change"},
        notes=[note] if note else None))


def hotspots(a) -> Block:
    """Getis-Ord Gi* hot and cold spots of ward rates, and how they moved in a year."""
    from slp import hotspots as gi

    if (missing := _ward_missing(a)) is not None:
        return Block().add(missing)
    now = _ward_frame(a, a.window)
    if now is None:
        return Block().add(p(_ward_coverage_note(a)))
    shapes = _ward_shapes(a, now["ward_code"])
    latest = gi.find_hotspots(shapes, now.set_index("ward_code")["rate_per_1000"])
    before = _ward_frame(a, a.window.previous())
    classes = latest.set_index("code")["class"]
    chart = maps.choropleth(shapes, classes.map({"hot spot": 1.0, "not significant": 0.0,
                                                 "cold spot": -1.0}),
                            f"Hot and cold spots of crime by ward (Getis-Ord Gi*), "
                            f"{a.area_label}", "Gi* class (1 hot, 0 not significant, -1 cold)",
                            scheme="equal_interval", k=3, diverging=True,
                            period_label=_months_label(a.window))
    hot = latest[latest["class"] == "hot spot"]["name"].tolist()
    cold = latest[latest["class"] == "cold spot"]["name"].tolist()
    lines = [f"Hot spots (high rates clustered together, after a false-discovery-rate "
             f"correction): {narrative._join(hot) if hot else 'none'}.",
             f"Cold spots: {narrative._join(cold) if cold else 'none'}."]
    frame = pd.DataFrame({"Ward": latest["name"], "Rate per 1,000": latest["rate"],
                          "Gi* z-score": latest["z"], "Adjusted p-value": latest["p_adjusted"],
                          "Class": latest["class"]})
    parts = [bullets(lines), chart]
    if before is not None:
        previous = gi.find_hotspots(shapes, before.set_index("ward_code")["rate_per_1000"])
        moved = gi.emerging_hotspots(latest, previous)
        frame["Compared with the previous 12 months"] = moved["status"].to_numpy()
        for status in ("emerging", "persistent", "cooling"):
            names = moved[moved["status"] == status]["name"].tolist()
            if names:
                lines.append(f"{status.capitalize()}: {narrative._join(names)}.")
        parts[0] = bullets(lines)
    else:
        lines.append("The ward file does not cover the previous 12 months, so emerging and "
                     "cooling hot spots cannot be told apart.")
        parts[0] = bullets(lines)
    return Block().add(*parts, tables.html_table(
        frame, f"Gi* hot spot analysis by ward, {a.area_label}, {_months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Gi* z-score": "0.00",
                       "Adjusted p-value": "0.000"}))


def interactive_ward_map(a) -> Block:
    """An offline, keyboard-usable map of ward rates with counts in each tooltip."""
    if (missing := _ward_missing(a)) is not None:
        return Block().add(missing)
    wards = _ward_frame(a, a.window)
    if wards is None:
        return Block().add(p(_ward_coverage_note(a)))
    shapes = _ward_shapes(a, wards["ward_code"])
    shown, hidden = _ward_counts_shown(a, wards)
    extra = pd.DataFrame({"Crimes, last 12 months": shown})
    return Block().add(maps.interactive_map(
        shapes, wards.set_index("ward_code")["rate_per_1000"],
        f"Crimes per 1,000 residents by ward, {a.area_label}", "Crimes per 1,000 residents",
        suppressed=hidden, extra=extra, period_label=_months_label(a.window),
        number_format="rate"))


def _ward_counts_shown(a, wards: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Ward counts as published, and which wards' rates must be hidden with them."""
    shown, mask = disclosure.suppress_counts(wards.set_index("ward_code")["count"], _rule(a))
    return shown, mask
