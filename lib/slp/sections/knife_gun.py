"""The knife and gun crime page (``04-knife-gun``): the dashboard's knife and gun flags, and the
possession-of-weapons offences from the recorded-crime files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import measures, narrative, tables
from slp.headline import months_label
from slp.sections import _dashboard, _shared
from slp.sections.blocks import Block, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "knife_gun", "weapon_possession"]

POLICE_UK_WEAPONS = (
    "police.uk's 'Possession of weapons' is one crime type: possession of knives, firearms and "
    "other offensive weapons together, not split by weapon.")
MEASURES = ["knife_crime", "knife_crime_with_injury", "knife_injury_victims_1_24", "gun_crime",
            "lethal_barrel_discharge"]


def knife_gun(a: Assessment) -> Block:
    """Knife crime, knife crime with injury, knife injury victims aged 1-24, gun crime and lethal
    barrel discharges (MPS Monthly Crime Dashboard): volume, rate, change, London's change, rank,
    verdict and the monthly trend."""
    return _dashboard.section(
        a, MEASURES, what="knife or gun crime",
        instead="Knife and gun crime are flags on offences of many types; the recorded-crime "
                "files cannot count them. The possession-of-weapons offences below are a "
                "different measure.",
        table_title=f"Knife and gun crime in {a.area_label}, 12 months against the 12 before",
        chart_title=f"Knife and gun crime per month, {a.area_label}",
        charted=["knife_crime", "knife_crime_with_injury", "gun_crime"],
        flags="knife-crime or gun-crime")


def weapon_possession(a: Assessment) -> Block:
    """Possession of weapons offences (recorded crime), labelled as possession offences."""
    rows = _shared.minor_categories(a, ["possession of weapons"])
    if rows.empty:
        return Block().add(p("The recorded-crime files have no possession of weapons "
                             "category for this period."))
    frame = pd.DataFrame({
        "Possession offence": rows["minor"], "Last 12 months": rows["count"],
        "Previous 12 months": rows["previous_count"], "Change": rows["change_pct"],
        "London change": rows["london_change_pct"], "Rate per 1,000": rows["rate_per_1000"],
        "Rank of 32": rows["rank"],
    })
    # the sentence states the total of the rows: protect them against it
    shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months",
                                  totals_shown=True)
    _shared.mark_ties(shown.frame, rows)
    total, previous = int(rows["count"].sum()), int(rows["previous_count"].sum())
    row = {"months": 12, "end": str(a.period_end), "count": total, "previous_count": previous,
           "change_pct": measures.percent_change(total, previous)}
    text = narrative.headline_sentence(a.borough, _shared.public_row(a, row),
                                       noun="possession of weapons offence", frame=a.frame)
    notes = [*shown.notes, narrative.POSSESSION_NOTE, *_shared.tie_notes(rows, a.frame)]
    if a.is_police_uk:
        notes.append(POLICE_UK_WEAPONS)
    return Block().add(p(text), tables.html_table(
        _dashboard.framed(a, shown.frame), f"Possession of weapons offences in "
                                           f"{a.area_label}, {months_label(a.window)}",
        number_format=_dashboard.formats(a), notes=notes))
