"""The MPS Monthly Crime Dashboard measures (flagged offences) as the pages show them: one
sentence, a published table and a monthly chart per measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, disclosure, measures, narrative, tables
from slp.sections import _shared
from slp.sections.blocks import markup

if TYPE_CHECKING:
    from slp.assessment import Assessment

NAMES = {
    "domestic_abuse": "domestic abuse offences",
    "knife_crime": "knife crime offences",
    "knife_crime_with_injury": "knife crime with injury offences",
    "gun_crime": "gun crime offences",
}


def as_crime(a: Assessment, measure: str) -> pd.DataFrame | None:
    """One dashboard measure in the recorded-crime shape (None when absent)."""
    if a.dashboard is None:
        return None
    return measures.flagged_as_crime(a.dashboard.data, measure)


def block(a: Assessment, measure: str) -> tuple[list[str], dict] | None:
    """Sentences and the figures row (unpublished) for one measure over 12 months."""
    frame = as_crime(a, measure)
    if frame is None:
        return None
    end = min(a.period_end, frame["month"].max())  # the dashboard often lags the crime files
    row = measures.headline_table(frame, a.residents, a.borough, end, lengths=(12,)).iloc[0]
    row = row.to_dict() | {"end": end, "measure": measure}
    public = _shared.public_row(a, row)
    name = NAMES[measure]
    words = narrative.headline_sentence(a.borough, public, noun=name[:-1],
                                        london_noun=name.replace(" offences", ""))
    if row.get("rank") and public["rate_per_1000"] is not None:
        words += narrative.dashboard_rank_sentence(int(row["rank"]), int(row["rank_of"]),
                                                   row["rate_per_1000"])
    return [words], row


def table(a: Assessment, rows: list[dict]) -> str:
    """The measures' 12-month figures, published."""
    frame = pd.DataFrame([{
        "Measure": NAMES[r["measure"]].capitalize(),
        "12 months to": narrative.month_name(r["end"]),
        "Offences": r["count"], "Previous 12 months": r["previous_count"],
        "Change": r["change_pct"], "London change": r["london_change_pct"],
        "Rate per 1,000": r["rate_per_1000"], "Rank of 32": r["rank"],
    } for r in rows])
    shown = _shared.publish_table(a, frame, "Offences", "Previous 12 months")
    notes = shown.notes
    if not shown.hidden[["Offences", "Previous 12 months"]].to_numpy().any():
        notes = [disclosure.suppression_note(a.rule), *notes]  # the rule is stated regardless
    return markup(tables.html_table(
        shown.frame, f"MPS Monthly Crime Dashboard measures for {a.area_label}",
        number_format=_shared.CHANGE_FORMATS,
        notes=[*notes, "Source: MPS Monthly Crime Dashboard (flagged offences)."]))


def chart(a: Assessment, names: list[str], title: str) -> charts.Chart | None:
    """The measures per month over the last 36 months, small counts hidden."""
    frames = []
    for m in names:
        frame = as_crime(a, m)
        if frame is not None:
            series = measures.monthly_counts(frame, a.borough)
            frames.append(series.rename(NAMES[m].capitalize()))
    if not frames:
        return None
    wide = pd.concat(frames, axis=1)
    end = wide.index.max()
    wide = wide[wide.index > end - 36]
    return charts.line_chart(wide.reset_index(), "month", list(wide.columns), title,
                             "Offences per month", f"{wide.index.min():%B %Y} to {end:%B %Y}",
                             rule=a.rule)
