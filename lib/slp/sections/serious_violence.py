"""The serious violence page (``08-serious-violence``): the Serious Violence Duty's kinds of
serious violence under the run's stated local definition (params ``serious_violence``), knife and
gun crime from the dashboard, where serious violence happens (wards), drug offences (possession
and trafficking apart, as measures of police activity), re-offending, and harm (when harm
weights are configured); the partnership's local inputs beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import charts, disclosure, narrative, tables, wards
from slp.headline import months_label
from slp.sections import _dashboard, _harm, _local, _shared, _statutory_words
from slp.sections import _ward_words as ward_words
from slp.sections.blocks import Block, bullets, missing_source, p, title
from slp.sources.harm_weights import category_key

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "definition", "profile", "trend", "knife_gun", "where", "needs_assessment",
           "substance_misuse", "reoffending", "harm"]

KNIFE_GUN = ["knife_crime_with_injury", "gun_crime"]
COLUMNS = {"category": "Category", "count": "Last 12 months",
           "previous_count": "Previous 12 months", "change_pct": "Change",
           "london_change_pct": "London change", "rate_per_1000": "Rate per 1,000",
           "rank": "Rank of 32"}
WARD_COUNT = "Serious violence offences, last 12 months"
harm = _harm.harm
SERIOUS_VIOLENCE_PARAMS = (
    "The partnership sets this definition in its parameters file (serious_violence: a list of "
    "MPS categories, main or detailed). The default follows the Serious Violence Duty's kinds "
    "of serious violence that the recorded-crime files can count: homicide, violence with "
    "injury, robbery of personal property, rape and possession of weapons.")
KNIFE_VICTIMS_NOTE = (
    "Knife injury victims aged 1 to 24 (a Serious Violence Duty measure) are not in any public "
    "file slp reads; the partnership must add them from hospital or police victim data.")
DRUGS_NOTE = (
    "Drug offences measure police activity (stops, searches and operations) more than the "
    "level of drug misuse: a rise can mean more enforcement, not more drug use. Possession "
    "and trafficking are shown apart because they answer different questions.")
POLICE_UK_TYPES = (
    "data.police.uk gives 14 broad crime types, not detailed offence categories. Of the Serious "
    "Violence Duty's kinds of serious violence only 'Robbery' (of personal and of business "
    "property together) and 'Possession of weapons' are police.uk types. Homicide, violence "
    "with injury and rape are inside 'Violence and sexual offences', which also holds common "
    "assault, harassment, stalking and other sexual offences, so it cannot stand for serious "
    "violence. A definition made of police.uk types (serious_violence: [Robbery, Possession of "
    "weapons]) counts only those; homicide, violence with injury and knife crime need the "
    "force's own data.")
POLICE_UK_PARAMS = (
    "The partnership sets this definition in its parameters file (serious_violence: a list of "
    "categories). On a police.uk run the categories are police.uk crime types, named as "
    "police.uk names them.")
POLICE_UK_DRUGS = ("police.uk's 'Drugs' type does not separate possession from trafficking: "
                   "both are counted together below.")
REOFFENDING_NOTE = (
    "Recorded crime counts offences, not offenders, so it cannot show re-offending. The "
    "figures must come from partners (probation, the youth justice service, Ministry of "
    "Justice proven re-offending statistics).")


def matched(a: Assessment) -> tuple[pd.DataFrame, list[str]]:
    """The categories of the local definition found in the recorded-crime files (one row of
    :func:`slp.measures.category_changes` each, named in ``category``, in the definition's
    order), and the names not found. A name matches a detailed (minor) category first, else a
    main (major) one, ignoring case and punctuation; a detailed category whose main category
    is also named is left out so that nothing is counted twice."""
    minors = _shared.minor_categories(a, list(a.crime.data["major"].unique()))
    majors = _shared.major_categories(a)
    wanted = [category_key(n) for n in a.params.serious_violence]
    rows, missing = [], []
    for name, key in zip(a.params.serious_violence, wanted, strict=True):
        minor = minors[minors["minor"].map(category_key) == key]
        major = majors[majors["major"].map(category_key) == key]
        if not minor.empty and category_key(minor["major"].iloc[0]) not in wanted:
            rows.append(minor.iloc[[0]].assign(category=minor["minor"].iloc[0]))
        elif not major.empty:  # a main category (police.uk: a type, its own detail)
            rows.append(major.iloc[[0]].assign(category=major["major"].iloc[0]))
        elif minor.empty:
            missing.append(name)
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=list(dict.fromkeys(["major", "minor", "category", *COLUMNS])))
    return frame, missing


def definition(a: Assessment) -> Block:
    """The local definition of serious violence this page uses, and what the data hold of it."""
    rows, missing = matched(a)
    lines = [_statutory_words.serious_violence_definition(list(a.params.serious_violence),
                                                    list(rows["category"]))]
    if missing:
        lines.append(f"Not in the recorded-crime files for this period: {', '.join(missing)}.")
    if a.is_police_uk:
        return Block().add(*(p(t) for t in lines), p(POLICE_UK_TYPES), p(POLICE_UK_PARAMS))
    return Block().add(*(p(t) for t in lines), p(SERIOUS_VIOLENCE_PARAMS))


def profile(a: Assessment) -> Block:
    """Each kind of serious violence: volume, change, London's change, rate and rank."""
    rows, _ = matched(a)
    block = Block().add('<div id="serious-violence-profile"></div>')
    if rows.empty:
        return block.add(p("None of the categories of the local definition is in the "
                           "recorded-crime files for this period."))
    lines = [narrative.category_sentence(
        a.borough, _shared.public_row(a, r.to_dict()) | {"category": r["category"],
                                                         "rank_tied": bool(r["rank_tied"])},
        frame=a.frame) for _, r in rows.iterrows()]
    frame = rows[list(COLUMNS)].rename(columns=COLUMNS)
    shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months")
    _shared.mark_ties(shown.frame, rows)
    return block.add(bullets(lines), tables.html_table(
        _dashboard.framed(a, shown.frame), f"Serious violence in {a.area_label} by category, "
                                           f"{months_label(a.window)}",
        number_format=_dashboard.formats(a),
        notes=[*shown.notes, *_shared.tie_notes(rows, a.frame),
               f"Source: {_source(a)}. Change: against the previous 12 months."]))


def _source(a: Assessment) -> str:
    return "data.police.uk street files" if a.is_police_uk else "MPS recorded crime"


def _in_definition(a: Assessment, frame: pd.DataFrame) -> pd.Series:
    """Rows of a crime frame in the local definition (each row once, by minor or major)."""
    wanted = {category_key(n) for n in a.params.serious_violence}
    return _keyed_in(frame["minor"], wanted) | _keyed_in(frame["major"], wanted)


def _keyed_in(names: pd.Series, wanted: set[str]) -> pd.Series:
    """Rows whose name's :func:`category_key` is in ``wanted`` (each distinct name keyed once,
    not each of the frame's rows)."""
    return names.isin([n for n in names.unique() if category_key(n) in wanted])


def trend(a: Assessment) -> Block:
    """Serious violence per month over the last three years, a chart with its data table."""
    data = a.crime.data
    mine = data[(data["borough"] == a.borough) & _in_definition(a, data)]
    monthly = mine.groupby("month")["count"].sum()
    monthly = monthly[(monthly.index > a.period_end - 36) & (monthly.index <= a.period_end)]
    if monthly.empty:
        return Block().add(p("No serious violence is in the recorded-crime files for the last "
                             "three years."))
    frame = monthly.rename("Serious violence offences").reset_index()
    return Block().add(charts.line_chart(
        frame, "month", ["Serious violence offences"],
        f"Serious violence offences per month, {a.area_label}", "Offences per month",
        f"{monthly.index.min():%B %Y} to {monthly.index.max():%B %Y}", rule=a.rule,
        note="The categories of the local definition, summed."))


def knife_gun(a: Assessment) -> Block:
    """Knife crime with injury and gun crime (the dashboard's flags), when configured."""
    block = _dashboard.section(
        a, list(KNIFE_GUN), what="knife or gun crime",
        instead=("Knife and gun crime are flags on offences of many types; the recorded-crime "
                 "files cannot count them."), flags="knife-crime or gun-crime",
        table_title=f"Knife and gun crime in {a.area_label}",
        chart_title=f"Knife crime with injury and gun crime per month, {a.area_label}")
    return block.add(p(KNIFE_VICTIMS_NOTE))


def where(a: Assessment) -> Block:
    """Serious violence by ward (the ward file's categories of the local definition; on a
    police.uk run, the street files' crimes summed to wards,
    :func:`slp.sources.police_uk.read_police_uk_wards`)."""
    ward = a.ward
    if ward is None and a.is_police_uk:
        return Block().add(p(
            "Serious violence is not shown by ward: this run has no ward crime figures for it "
            "(the street files with the LSOA lookup give them)."))
    if ward is None:
        return Block().add(missing_source(
            "ward", "MPS Ward Level Crime file", "ward_crime",
            "Where serious violence happens within the borough needs the ward file."))
    data = ward.data
    keep = _in_definition(a, data)
    residents = a.ward_population if a.ward_population is not None else pd.Series(dtype=float)
    counts = wards.ward_counts(data[keep], a.borough, a.window, residents)
    if counts is None or counts.empty:
        return Block().add(p("The ward file does not cover every month of the reporting "
                             "period, so serious violence is not shown by ward."))
    counts = counts.sort_values(["count", "ward_name"], ascending=[False, True])
    frame = pd.DataFrame({"Ward": counts["ward_name"], WARD_COUNT: counts["count"],
                          "Rate per 1,000": counts["rate_per_1000"]})
    if a.ward_population is None:
        frame = frame.drop(columns="Rate per 1,000")
    # sexual offences are in it: the sensitive threshold, as on every ward table with them
    shown = disclosure.publish(frame, counts=[WARD_COUNT], rule=a.rule, sensitive=True,
                               derived={c: WARD_COUNT for c in ("Rate per 1,000",)
                                        if c in frame.columns})
    return Block().add(p(_statutory_words.serious_violence_wards(list(counts["ward_name"][:3]))),
                       tables.html_table(
                           shown.frame, f"Serious violence by ward, {a.area_label}, "
                                        f"{months_label(a.window)}",
                           number_format={"Rate per 1,000": "rate"},
                           notes=[*shown.notes, _ward_source(a)]))


def _ward_source(a: Assessment) -> str:
    if a.is_police_uk:
        return ("Source: data.police.uk street files, each crime's LSOA placed in its ward; the "
                "crime types of the local definition. " + ward_words.APPROXIMATE)
    return "Source: MPS Ward Level Crime; the categories of the local definition."


def needs_assessment(a: Assessment) -> Block:
    """The partnership's strategic needs assessment of serious violence (local input)."""
    return Block().add(_local.block(a, "serious_violence"))


def substance_misuse(a: Assessment) -> Block:
    """Drug possession and drug trafficking offences, apart, as measures of police activity;
    then the partners' substance-misuse figures (local input)."""
    rows = _shared.minor_categories(a, ["drugs" if a.is_police_uk else "drug offences"])
    block = Block().add('<div id="substance-misuse"></div>', p(DRUGS_NOTE))
    if a.is_police_uk:
        block.add(p(POLICE_UK_DRUGS))
    if rows.empty:
        block.add(p("The recorded-crime files have no drug offences for this period."))
    else:
        rows = rows.assign(category=rows["minor"])
        frame = rows[list(COLUMNS)].rename(columns=COLUMNS)
        shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months")
        _shared.mark_ties(shown.frame, rows)
        lines = [narrative.category_sentence(
            a.borough, _shared.public_row(a, r.to_dict()) | {"rank_tied": bool(r["rank_tied"])},
            frame=a.frame) for _, r in rows.iterrows()]
        block.add(bullets(lines), tables.html_table(
            _dashboard.framed(a, shown.frame), f"Drug offences in {a.area_label}, "
                                               f"{months_label(a.window)}",
            number_format=_dashboard.formats(a),
            notes=[*shown.notes, *_shared.tie_notes(rows, a.frame), f"Source: {_source(a)}."]))
    return block.add(_local.block(a, "substance_misuse"))


def reoffending(a: Assessment) -> Block:
    """Re-offending: the public crime files cannot show it; the partners' figures if supplied."""
    return Block().add(p(REOFFENDING_NOTE), _local.block(a, "reoffending"))
