"""The domestic abuse and VAWG page (``03-domestic-abuse``): the dashboard's domestic-abuse
flag, and sexual offences and violence against the person from the recorded-crime files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import measures, narrative, tables
from slp.headline import months_label
from slp.sections import _dashboard, _shared
from slp.sections.blocks import Block, bullets, missing_source, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "domestic_abuse", "vawg_recorded"]

VAWG = ["sexual offences", "violence against the person"]


def domestic_abuse(a: Assessment) -> Block:
    """Domestic-abuse volume, rate, change, London comparison and rank (dashboard source)."""
    found = _dashboard.block(a, "domestic_abuse")
    if found is None:
        return Block().add(missing_source(
            "domestic-abuse", "MPS Monthly Crime Dashboard file", "dashboard",
            "Domestic abuse is a flag on offences, not a crime category, so it cannot be "
            "counted from the recorded-crime files; the figures below for sexual offences and "
            "violence against the person are what those files support."))
    words, row = found
    return Block().add(bullets(words), _dashboard.table(a, [row]), _dashboard.chart(
        a, ["domestic_abuse"], f"Domestic abuse offences per month, {a.area_label}"))


def vawg_recorded(a: Assessment) -> Block:
    """Sexual offences and violence against the person from the recorded-crime files."""
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
