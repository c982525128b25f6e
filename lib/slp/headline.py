"""The headline figures in words and as a table: the opening line of every page and the plan's
headline boxes (last 12, 6 and 3 months), shown on the summary page and on the contents page.

Kept apart from :mod:`slp.sections` so that the runner can write the contents page without
importing the charting libraries.
"""

from __future__ import annotations

import pandas as pd

from slp import disclosure, measures, narrative, tables, verdicts
from slp.periods import Window


def months_label(w: Window) -> str:
    """``"October 2021 to September 2022"``."""
    return f"{w.start.strftime('%B %Y')} to {w.end.strftime('%B %Y')}"


def lede(a) -> str:
    """The opening sentence of every page (and, for demo data, the warning that it is)."""
    frame = a.frame
    text = (f"Recorded crime in {a.borough} over the 12 months from {months_label(a.window)}, "
            f"compared with the previous 12 months and with {frame.members_phrase}.")
    if a.is_demo:
        text += (" This report is built on synthetic demonstration data for a fictional "
                 f"{'borough' if frame.is_london else 'area'}; none of its figures describe a "
                 "real place.")
    return text


def numbers(a) -> pd.DataFrame:
    """:func:`slp.measures.headline_table` for the assessment's borough and period."""
    return measures.headline_table(a.crime.data, a.residents, a.borough, a.params.period_end)


#: The verdict fields :func:`rows` adds to each window (see :mod:`slp.verdicts`).
VERDICT_KEYS = ("verdict", "usual_range_pct", "z", "reference", "method", "differs_from_london")


def rows(a) -> list[dict]:
    """:func:`numbers` with each change judged against the area's normal variation.

    Each window's record (unpublished) gains the keys of :data:`VERDICT_KEYS` and ``p_value``
    from :func:`slp.verdicts.headline_verdict` (the window against the one just before it,
    after allowing for the usual seasonal pattern for 6 and 3 months), ``verdict_words`` (the
    public sentence), and the same months a year earlier: ``year_earlier_count``,
    ``year_earlier_change_pct``, ``year_earlier_verdict`` and ``year_earlier_words`` (for 12
    months the same as the previous window).
    """
    crime, end = a.crime.data, a.params.period_end
    out = []
    for record in numbers(a).to_dict("records"):
        months = int(record["months"])
        judged = verdicts.headline_verdict(crime, a.borough, end, months=months)
        record |= {k: judged[k] for k in VERDICT_KEYS} | {"verdict_words": judged["words"],
                                                         "p_value": judged["p"]}
        year = judged if months == 12 else verdicts.headline_verdict(crime, a.borough, end,
                                                                     months=months, lag=12)
        _, earlier = verdicts.window_totals(crime, end, months, lag=12)
        record |= {"year_earlier_count": int(earlier.get(a.borough, 0)),
                   "year_earlier_change_pct": measures.percent_change(
                       record["count"], int(earlier.get(a.borough, 0))),
                   "year_earlier_verdict": year["verdict"],
                   "year_earlier_words": year["words"]}
        out.append(record)
    return out


def differs_cell(value) -> str:
    """``"yes"``/``"no"`` in the "Changed differently from London?" column
    (:attr:`slp.frame.Frame.differs_column`); ``"-"`` unjudged."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return "yes" if value else "no"


def table_html(a, figures: dict | None = None) -> str:
    """The plan's headline boxes as one accessible table (last 12, 6 and 3 months), with each
    change judged against the area's normal variation and against the whole's (London's) change.

    ``figures`` is the output of :func:`slp.figures.compute` when already computed.
    """
    records = figures["headline"] if figures else rows(a)
    whole = a.frame
    frame = pd.DataFrame([{
        "Period": f"Last {int(r['months'])} months ({narrative.month_name(r['start'])} to "
                  f"{narrative.month_name(r['end'])})",
        "Total number": r["count"],
        "Crime rate per 1,000 residents": r["rate_per_1000"],
        "Change on previous period": r["change_pct"],
        narrative.verdict(form="headline_column"): narrative.verdict_cell(r.get("verdict"),
                                                                          r.get("method")),
        "Usual range of changes": narrative.usual_range(*(r.get("usual_range_pct") or
                                                          (None, None))) or "-",
        "Change on the same months a year earlier": r.get("year_earlier_change_pct"),
        whole.change_column: r["london_change_pct"],
        whole.differs_column: differs_cell(r.get("differs_from_london")),
        f"{whole.rank_column} (1 = highest rate)": f"{int(r['rank'])} of {int(r['rank_of'])}",
    } for r in records])
    judged = [narrative.verdict(form="headline_column"), "Usual range of changes",
              whole.differs_column, "Change on the same months a year earlier"]
    frame, _, published = disclosure.publish(
        frame, counts=["Total number"], rule=a.rule,
        derived={"Crime rate per 1,000 residents": "Total number",
                 "Change on previous period": "Total number",
                 **dict.fromkeys(judged, "Total number")})
    notes = [f"Source: {source(a)}; rates use {a.population_label}.",
             "Changes compare each period with the period of the same length just before it "
             "(for 6 and 3 months after allowing for the usual seasonal pattern), and with the "
             "same months a year earlier. The usual range is the range of this area's past "
             "changes of the same kind in nine years out of ten"
             + (CHANCE_RANGE if any(r.get("method") == "chance only" for r in records) else "")
             + ". " + verdict_note(a),
             f"{whole.differs_column[:-1]}: the area's change is further from "
             f"{whole.whole_possessive} than {whole.plural}' changes usually are (a funnel plot "
             "of changes)."]
    if a.is_police_uk:
        from slp.sources.police_uk import attribution_note

        notes.append(attribution_note(a.crime, a.borough, a.window))
    return tables.html_table(
        frame, f"Headline figures for {a.area_label}, periods ending "
               f"{a.period_end.strftime('%B %Y')}",
        number_format={"Crime rate per 1,000 residents": "rate",
                       "Change on previous period": "change",
                       "Change on the same months a year earlier": "change",
                       whole.change_column: "change"},
        notes=[*notes, *published]).html()


#: How the usual range reads where a change is compared with chance fluctuation only.
CHANCE_RANGE = ("; where a change is compared with chance fluctuation only, it is the range of "
                "changes chance alone would give in 19 cases out of 20")

#: The first month of the first lockdown: before it, the usual reference of past changes.
PANDEMIC_START = pd.Period("2020-03", freq="M")


def verdict_note(a) -> str:
    """What "normal variation" is, under a table of verdicts: the past changes before the
    pandemic (:func:`slp.narrative.verdict`), or, for files that start after it began
    (police.uk's three years), the past changes since they start."""
    first = a.crime.data["month"].min()
    if first <= PANDEMIC_START:
        return narrative.verdict(form="note")
    return ("'Normal variation' is the range of this area's own past changes of the same kind "
            f"since {first:%B %Y}, when these files start (after the pandemic began); where "
            "they are too few, a change is compared with chance fluctuation only and the table "
            "says so. 'How to read the changes' on the summary page explains it.")


def source(a) -> str:
    """The recorded crime the figures come from: ``"MPS recorded crime"``, or ``"police.uk
    street-level crime (Gwent Police)"`` for a police.uk run."""
    if a.is_police_uk:
        force = f" ({a.crime.force})" if a.crime.force else ""
        return f"police.uk street-level crime{force}"
    return "MPS recorded crime"
