"""The headings and opening lines of the sections whose words depend on the run.

A notebook's markdown cannot vary by run, so a section introduced by words that name the frame
("How the borough compares with London"; "How the authority compares with the Gwent Police
area") or the source ("the MPS Monthly Crime Dashboard") is introduced by :func:`intro`
instead, from the assessment: ``intros.intro(a, "summary.ranking")``. London runs read word for
word as the notebooks' markdown used to.

Examples
--------
>>> from slp.frame import Frame
>>> heading, text = words("summary.funnel", Frame.of_force("Gwent Police", ["Newport",
...                       "Torfaen"]), police_uk=True)
>>> heading
"Is the authority's rate unusual?"
>>> text.split(". ")[1]
"Authorities outside the funnel have rates that differ from the Gwent Police area's by more than chance would explain."
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from slp.sections.blocks import Block, e, p

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.frame import Frame

#: The source of the police's flags, as each dashboard page's opening line names it.
DASHBOARD = "the MPS Monthly Crime Dashboard, or a force's own file"
POLICE_UK_FLAGS = "a force's own file: data.police.uk has no such flags"

#: The sections :func:`intro` introduces, page by page.
KEYS = {
    "summary": ("summary.headline", "summary.ranking", "summary.funnel", "summary.national"),
    "trends": ("trends.categories", "trends.comparators"),
    "covid": ("covid.pre_pandemic", "covid.rates", "covid.expected"),
    "domestic_abuse": ("domestic_abuse.flags",),
    "knife_gun": ("knife_gun.flags",),
    "hate_crime": ("hate_crime.flags",),
    "serious_violence": ("serious_violence.flags",),
}


def _summary(key: str, f: Frame) -> tuple[str, str | None]:
    if key == "summary.headline":
        return ("Headline figures",
                "The number of crimes recorded in the last 12, 6 and 3 months, the crime rate "
                "per 1,000 residents, and the change against the previous period of the same "
                f"length, beside the same change across {f.whole}.")
    if key == "summary.ranking":
        every = (f"Every {f.member_label}'s crime rate" if f.is_london
                 else f"The crime rate of each of {f.members_phrase}")
        return (f"How the {f.noun} compares with {f.whole}",
                f"{every} over the last 12 months. Rank 1 is the highest rate.")
    if key == "summary.funnel":
        return (f"Is the {f.noun}'s rate unusual?",
                f"A funnel plot shows each {f.noun}'s rate against its population. "
                f"{f.plural.capitalize()} outside the funnel have rates that differ from "
                f"{f.whole_possessive} by more than chance would explain.")
    return (f"How the {f.noun} compares with England and Wales",
            f"The {f.noun}'s police recorded crime rate beside England's (or Wales'), England "
            "and Wales', its region's and its police force area's, from the ONS police "
            "recorded crime tables where they cover this report's 12 months.")


def _covid(key: str, f: Frame, police_uk: bool) -> tuple[str, str | None]:
    if key == "covid.pre_pandemic":
        return ("The last 12 months against the 12 months before the pandemic",
                "All crime and each crime type against March 2019 to February 2020, the last "
                "full year before the first lockdown; each change is judged against the "
                f"{f.noun}'s own normal variation before the pandemic.")
    if key == "covid.rates":
        return ("Monthly crime rate since January 2017",
                f"The monthly crime rate per 1,000 residents for the {f.noun}, its comparators "
                "and the whole area it is compared with. Shaded bands mark the national "
                "lockdowns in England.")
    where = ("on the 32 boroughs of the Metropolitan Police files" if not police_uk else
             "on the 32 London boroughs of the Metropolitan Police files, not on this force's")
    return ("Crime against the level the 2017-2020 trend would have reached",
            "A model fitted on January 2017 to February 2020 (trend and seasonality) projects "
            "the level the 2017-2020 trend would have reached. It is a projection, not what "
            "crime should have been. The band is as wide as back-testing showed it must be to "
            "hold at least nine months in ten (trends fitted on three years and projected "
            f"three years ahead, {where}).")


def _flags(key: str, police_uk: bool) -> tuple[str, str | None]:
    source = POLICE_UK_FLAGS if police_uk else DASHBOARD
    return {
        "domestic_abuse.flags": ("Domestic abuse",
                                 f"Domestic abuse offences as the police flag them ({source})."),
        "knife_gun.flags": ("Knife crime and gun crime",
                            "Knife crime, knife crime with injury, knife injury victims aged "
                            "1-24 (not domestic abuse), gun crime and lethal barrel discharges, "
                            f"as the police flag them ({source})."),
        "hate_crime.flags": ("Hate crime",
                             f"Offences the police flag as hate crime ({source}): any offence "
                             "the victim or anyone else perceives as motivated by hostility or "
                             "prejudice."),
        "serious_violence.flags": ("Knife crime with injury and gun crime",
                                   f"Flags from the police ({source}), when configured."),
    }[key]


def words(key: str, frame: Frame, *, police_uk: bool = False,
          before_data: bool = False) -> tuple[str, str | None]:
    """The heading and opening line of section ``key`` (one of :data:`KEYS`); no opening line
    (None) for a COVID section the run's files do not reach back to (``before_data``)."""
    page = key.split(".")[0]
    if page not in KEYS or key not in KEYS[page]:
        raise KeyError(f"no section intro {key!r}; expected one of "
                       f"{', '.join(k for keys in KEYS.values() for k in keys)}")
    if page == "summary":
        return _summary(key, frame)
    if page == "trends":
        if key == "trends.categories":
            return ("Crime categories",
                    "Each main category over the last 12 months against the previous 12, for "
                    f"the {frame.noun} and for {frame.whole}.")
        return f"Neighbouring and comparator {frame.plural}", None
    if page == "covid":
        heading, text = _covid(key, frame, police_uk)
        return heading, None if before_data else text
    return _flags(key, police_uk)


def intro(a: Assessment, key: str) -> Block:
    """Section ``key``'s heading (``<h2>``, as a notebook's ``##`` heading) and opening line,
    in the words of this run's frame and sources."""
    from slp.sections.covid import after_pandemic

    before = key.startswith("covid.") and after_pandemic(a) is not None
    heading, text = words(key, a.frame, police_uk=a.is_police_uk, before_data=before)
    anchor = re.sub(r"\s+", "-", heading.strip())
    return Block().add(f'<h2 id="{e(anchor)}">{e(heading)}</h2>', p(text) if text else None)
