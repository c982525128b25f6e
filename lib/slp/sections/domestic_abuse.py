"""The domestic abuse and VAWG page (``03-domestic-abuse``): the dashboard's domestic-abuse
flag, and sexual offences and violence against the person from the recorded-crime files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import measures, narrative, priorities, tables
from slp.headline import months_label
from slp.sections import _dashboard, _priority_words, _shared
from slp.sections.blocks import Block, bullets, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "domestic_abuse", "vawg_recorded"]

VAWG = ["sexual offences", "violence against the person"]
#: The dashboard measures of the page: all domestic abuse, and violence with injury within it.
DASHBOARD = ["domestic_abuse", "domestic_abuse_violence_with_injury"]
#: police.uk's one crime type that holds both VAWG categories.
POLICE_UK_VIOLENCE = "Violence and sexual offences"
POLICE_UK_VAWG = (
    "data.police.uk does not separate sexual offences from violence against the person: both "
    "are in one crime type, 'Violence and sexual offences', which also holds common assault, "
    "harassment and stalking and has no domestic-abuse flag. It is shown below as police.uk "
    "gives it; it cannot measure violence against women and girls.")


def domestic_abuse(a: Assessment) -> Block:
    """Domestic abuse: volume, rate, change, London's change, rank, verdict, any break, violence
    with injury as a share, and the monthly trend (MPS Monthly Crime Dashboard)."""
    block = _dashboard.section(
        a, DASHBOARD, what="domestic-abuse",
        instead="Domestic abuse is a flag on offences, not a crime category, so it cannot be "
                "counted from the recorded-crime files; the figures below for sexual offences "
                "and violence against the person are what those files support.",
        table_title=f"Domestic abuse offences in {a.area_label}, 12 months against the 12 "
                    f"before",
        chart_title=f"Domestic abuse offences per month, {a.area_label}",
        flags="domestic-abuse")
    whole, part = (_dashboard.figures_of(a, m) for m in DASHBOARD)
    if whole is not None and part is not None:
        public = _dashboard.public_rows(a, [whole, part])
        shown = all(isinstance(public[f.measure]["count"], int) for f in (whole, part))
        share = priorities.share_pct(part, whole) if shown else None
        block.parts.insert(1, p(_priority_words.share_sentence(
            "Domestic abuse violence with injury", share, "domestic abuse offences")))
    return block


def vawg_recorded(a: Assessment) -> Block:
    """Sexual offences and violence against the person from the recorded-crime files (on a
    police.uk run, its one combined type, said to be so)."""
    if a.is_police_uk:
        return _police_uk_violence(a)
    chosen = measures.categories_named(_shared.major_categories(a), VAWG)
    if chosen.empty:
        return Block().add(p("The recorded-crime files have no sexual offences or violence "
                             "against the person categories."))
    lines = [narrative.category_sentence(a.borough, _shared.public_category(a, r))
             for r in chosen.to_dict("records")]
    minors = _shared.minor_categories(a, list(chosen["major"]))
    frame = pd.DataFrame({
        "Category": minors["major"], "Detailed category": minors["minor"],
        "Last 12 months": minors["count"], "Previous 12 months": minors["previous_count"],
        "Change": minors["change_pct"], "London change": minors["london_change_pct"],
        "Rate per 1,000": minors["rate_per_1000"],
    })
    # the words above state each category's total: protect each category's rows against it
    shown = _shared.publish_by_group(a, frame, "Category", "Last 12 months",
                                     "Previous 12 months")
    return Block().add(bullets(lines), tables.html_table(
        shown.frame, f"Sexual offences and violence against the person in {a.area_label} by "
                     f"detailed category, {months_label(a.window)}",
        number_format=_shared.CHANGE_FORMATS, notes=shown.notes or None))


def _police_uk_violence(a: Assessment) -> Block:
    """police.uk's 'Violence and sexual offences': what it holds, and its 12-month figures."""
    chosen = measures.categories_named(_shared.major_categories(a), [POLICE_UK_VIOLENCE])
    if chosen.empty:
        return Block().add(p(POLICE_UK_VAWG), p(f"The police.uk files hold no "
                                                 f"'{POLICE_UK_VIOLENCE}' for this period."))
    row = chosen.to_dict("records")[0]
    return Block().add(p(POLICE_UK_VAWG), bullets([narrative.category_sentence(
        a.borough, _shared.public_category(a, row), frame=a.frame)]))
