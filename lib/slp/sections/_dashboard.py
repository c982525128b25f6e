"""The partnership's priority measures from the MPS Monthly Crime Dashboard as the pages show
them: the plan's sentences, the verdict, any break, a published table and a monthly chart.

The figures are :func:`slp.priorities.measure_figures` (the dashboard's latest complete 12
months up to ``period_end``); every count a reader sees goes through
:func:`slp.disclosure.publish` (the rows of words through :func:`slp.figures.publish_dashboard`,
as in ``figures.json``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, disclosure, figures, narrative, priorities, tables
from slp.sections import _priority_words, _shared
from slp.sections.blocks import Block, bullets, markup, missing_source, p
from slp.variation import describe_verdict

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.priorities import MeasureFigures
    from slp.variation import ChangeVerdict

    #: Each measure's verdict (:func:`slp.priorities.judge`), by measure key.
    Verdicts = dict[str, ChangeVerdict | None]

#: What each measure counts, plural, for the sentences (other measures use the file's label).
NOUNS = {
    "domestic_abuse": "domestic abuse offences",
    "domestic_abuse_violence_with_injury": "domestic abuse violence with injury offences",
    "knife_crime": "knife crime offences",
    "knife_crime_with_injury": "knife crime with injury offences",
    "knife_injury_victims_1_24": "knife injury victims aged 1-24 (not domestic abuse)",
    "gun_crime": "gun crime offences",
    "lethal_barrel_discharge": "lethal barrel discharges",
    "hate_crime": "hate crime offences",
}
#: The verdict in a table cell.
VERDICT_CELLS = {"within": "Within normal variation", "larger_rise": "Larger rise than usual",
                 "larger_fall": "Larger fall than usual", None: "Not judged"}
RANK_NOTE = "Rank: the borough's rate among the 32 London boroughs, 1 = highest."
SOURCE_NOTE = "Source: MPS Monthly Crime Dashboard Data (London Datastore)."
#: Where the layout of a force's own flagged-crime file is documented.
LOCAL_LAYOUT = "the README section 'A force's own flagged-crime file'"


def framed(a: Assessment, frame: pd.DataFrame) -> pd.DataFrame:
    """A published table's "London change" and "Rank of 32" headings named for the run's
    comparison frame ("Gwent Police area change", "Rank of 5"); unchanged for London. Tables
    are published under the London names (which :func:`slp.sections._shared.publish_table`
    knows) and renamed only to be shown."""
    if a.frame.is_london:
        return frame
    return frame.rename(columns={"London change": a.frame.change_column,
                                 "Rank of 32": a.frame.rank_column})


def formats(a: Assessment) -> dict[str, str]:
    """:data:`slp.sections._shared.CHANGE_FORMATS` under the headings of :func:`framed`."""
    return _shared.change_formats(a.frame)


def rank_note(a: Assessment) -> str:
    """What the rank column ranks among (the comparison frame)."""
    if a.frame.is_london:
        return RANK_NOTE
    return f"Rank: the area's rate among {a.frame.members_phrase}, 1 = highest."


def source_note(a: Assessment) -> str:
    """The dashboard's source: the MPS download, or the force's own file on a police.uk run."""
    if not a.is_police_uk:
        return SOURCE_NOTE
    return ("Source: the local flagged-crime file given as sources.dashboard (the force's own "
            f"data in the layout of {LOCAL_LAYOUT}).")


def police_uk_missing(a: Assessment, what: str, flags: str) -> str:
    """The plain statement, on a police.uk run, that police.uk cannot count ``what`` and where
    the figures can come from instead."""
    force = a.crime.force or "the police force"
    return (f"data.police.uk has no {flags} flag: its street files give each crime only one of "
            f"14 broad crime types, so {what} figures cannot be counted from them. They need "
            f"{force}'s own data (a flagged extract) or the Home Office and ONS tables for the "
            "force area. Give them as a local file (sources.dashboard with "
            f"sources.dashboard_mapping, in the layout described in {LOCAL_LAYOUT}); none is "
            f"configured for this run, so this page shows no {what} figures.")


def noun(a: Assessment, measure: str) -> str:
    """The plural noun of a measure, e.g. ``"racist hate crime offences"``."""
    if measure in NOUNS:
        return NOUNS[measure]
    label = a.dashboard.labels.get(measure, measure) if a.dashboard else measure
    label = narrative.lower_first(label)
    return label if label.endswith(("offences", "victims")) else f"{label} offences"


def figures_of(a: Assessment, measure: str) -> MeasureFigures | None:
    """The 12-month figures of one measure (None without a dashboard or without the measure)."""
    if a.dashboard is None or measure not in a.dashboard.measures:
        return None
    fig = priorities.measure_figures(a.dashboard, measure, a.residents, a.borough, a.period_end)
    if fig is not None and a.is_police_uk and fig.break_ is not None and \
            fig.break_.key == "connect":  # the Metropolitan Police's system, not this force's
        fig = dataclasses.replace(fig, break_=None)
    return fig


def found(a: Assessment, measures: list[str]) -> tuple[list[MeasureFigures], list[str]]:
    """The figures of the measures the files hold, and why the others are missing (words)."""
    figs, why = [], []
    for measure in measures:
        fig = figures_of(a, measure)
        if fig is not None:
            figs.append(fig)
        else:
            why.append(priorities.missing_reason(a.dashboard, measure, a.period_end)
                       or f"The dashboard files hold no {noun(a, measure)}.")
    return figs, list(dict.fromkeys(why))


def public_rows(a: Assessment, figs: list[MeasureFigures], judged: Verdicts | None = None
                ) -> dict[str, dict]:
    """Each measure's row as words may state it (as ``figures.json`` publishes it)."""
    rows = [figures.dashboard_row(f, (judged or {}).get(f.measure)) for f in figs]
    return {r["measure"]: r for r in figures.publish_dashboard(rows, a.rule)}


def sentences(a: Assessment, fig: MeasureFigures, public: dict, judged: ChangeVerdict | None
              ) -> list[str]:
    """The plan's sentences for one measure, its verdict, and any lag or break."""
    nouns = noun(a, fig.measure)
    words = _priority_words.priority_sentences(a.borough, public, nouns, a.frame)
    if fig.previous_count is not None:
        verdict = None if judged is None or judged.verdict is None else describe_verdict(
            judged, a.borough)
        words.append(_priority_words.priority_verdict_sentence(
            a.borough, nouns, verdict,
            fig.break_.name if fig.break_ and fig.break_.last is None else None))
    if fig.break_ is not None:
        words.append(f"Break in the series: {fig.break_.note}")
    if fig.lag_note:
        words.append(fig.lag_note)
    return words


def table(a: Assessment, figs: list[MeasureFigures], judged: Verdicts, title: str) -> str:
    """The measures' 12-month figures, published; a pair that adds up to another measure shown
    is protected against it (:data:`slp.priorities.ADDS_UP`)."""
    frame = pd.DataFrame([{
        "Measure": noun(a, f.measure).capitalize(),
        "Period": f"{f.start:%b %Y} to {f.end:%b %Y}",
        "Last 12 months": f.count, "Previous 12 months": f.previous_count,
        "Change": f.change_pct, "London change": f.london_change_pct,
        "Rate per 1,000": f.rate_per_1000, "Rank of 32": f.rank,
        "Verdict": VERDICT_CELLS[None if (j := judged[f.measure]) is None else j.verdict],
        "Break": "Yes, see note" if f.break_ else "",
    } for f in figs])
    measures = [f.measure for f in figs]
    pairs = [set(pair) for pair in priorities.ADDS_UP.values() if set(pair) <= set(measures)]
    paired = set().union(*pairs)
    groups = [[m not in paired for m in measures]] + [[m in pair for m in measures]
                                                      for pair in pairs]
    parts = [_shared.publish_table(a, frame[rows], "Last 12 months", "Previous 12 months",
                                   totals_shown=i > 0)
             for i, rows in enumerate(groups) if any(rows)]
    shown = disclosure.Published(
        pd.concat([x.frame for x in parts]).loc[frame.index],
        pd.concat([x.hidden for x in parts]).loc[frame.index],
        list(dict.fromkeys(n for x in parts for n in x.notes)))
    notes = shown.notes
    if not shown.hidden[["Last 12 months", "Previous 12 months"]].to_numpy().any():
        notes = [disclosure.suppression_note(a.rule), *notes]  # the rule is stated regardless
    breaks = list(dict.fromkeys(f.break_.note for f in figs if f.break_))
    return markup(tables.html_table(
        framed(a, shown.frame), title, number_format=formats(a),
        notes=[*notes, *breaks, rank_note(a), source_note(a)]))


def chart(a: Assessment, figs: list[MeasureFigures], title: str) -> charts.Chart | None:
    """The measures per month over the last 36 months they cover, small counts hidden."""
    if not figs:
        return None
    end = max(f.end for f in figs)
    wide = pd.concat([f.monthly.rename(noun(a, f.measure).capitalize()) for f in figs], axis=1)
    wide = wide[(wide.index <= end) & (wide.index > end - 36)]
    return charts.line_chart(wide.reset_index(names="month"), "month", list(wide.columns), title,
                             "Per month", f"{wide.index.min():%B %Y} to {end:%B %Y}",
                             rule=a.rule)


def section(a: Assessment, measures: list[str], *, what: str, instead: str, table_title: str,
            chart_title: str, charted: list[str] | None = None, flags: str | None = None
            ) -> Block:
    """A page's dashboard section: sentences per measure found, the reasons any are missing,
    the table and the monthly chart. On a police.uk run without the file, the plain statement
    that police.uk has no ``flags`` flag (:func:`police_uk_missing`)."""
    if a.dashboard is None and a.is_police_uk:
        return Block().add(p(police_uk_missing(a, what, flags or what), "missing-source"))
    if a.dashboard is None:
        return Block().add(missing_source(what, "MPS Monthly Crime Dashboard file", "dashboard",
                                          instead))
    figs, why = found(a, measures)
    if not figs:
        return Block().add(*(p(w) for w in why))
    judged = {f.measure: priorities.judge(f) for f in figs}
    public = public_rows(a, figs, judged)
    lines = [w for f in figs for w in sentences(a, f, public[f.measure], judged[f.measure])]
    lines = list(dict.fromkeys(lines))  # a break note said once
    drawn = [f for f in figs if charted is None or f.measure in charted]
    return Block().add(bullets(lines), *(p(w) for w in why), table(a, figs, judged, table_title),
                       chart(a, drawn, chart_title))
