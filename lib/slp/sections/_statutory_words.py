"""Words for the statutory assessment's pages (checklist, serious violence, harm, ASB), from numbers.

The shared phrases come from :mod:`slp.narrative`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slp import variation
from slp.narrative import _join, _known, _sentence_case, change_phrase, count

if TYPE_CHECKING:
    from slp.frame import Frame


def checklist_sentence(met: int, partly: int, missing: int, total: int) -> str:
    """How much of the statutory checklist a report covers.

    Examples
    --------
    >>> checklist_sentence(4, 2, 3, 9)
    'Of the 9 things the law asks this assessment to cover, this report meets 4, meets 2 only in part (the partnership must add to them), and 3 are not supplied: the partnership must write them.'
    """
    parts = [f"meets {met}"]
    if partly:
        parts.append(f"meets {partly} only in part (the partnership must add to "
                     f"{'it' if partly == 1 else 'them'})")
    text = f"Of the {total} things the law asks this assessment to cover, this report "
    text += ", ".join(parts[:-1]) + (", " if len(parts) > 1 else "") + parts[-1]
    if missing:
        text += (f", and {missing} {'is' if missing == 1 else 'are'} not supplied: the "
                 f"partnership must write {'it' if missing == 1 else 'them'}")
    return text + "."


#: What a requirement's pages show from public data (the checklist's "covers" column).
COVERS = {
    "crime": "Police recorded crime: counts, rates per 1,000 residents, the change on the 12 "
             "months before judged against the area's own normal variation, London ranks, "
             "trends and wards",
    "asb": "Anti-social behaviour incidents reported to the police (data.police.uk): volume, "
           "rate per 1,000 residents, month by month, wards and small areas",
    "substance_misuse": "Drug possession and drug trafficking offences recorded by the police, "
                        "shown apart (they measure police activity, not how much misuse "
                        "there is)",
    "serious_violence": "Recorded serious violence of each kind in the local definition: "
                        "volume, rate, change, London comparison and wards; harm beside volume",
    "changes": "Rates, ranks, verdicts and the five largest categories compared with the "
               "previous figures, with the reasons the data can show (breaks, "
               "reclassifications, revisions)",
}
#: Where the sources behind a requirement's pages are named in the parameters.
SOURCES = {"crime": "sources.borough_crime",
           "asb": "sources.street (police.uk street files) with sources.lsoa_ward_lookup",
           "changes": "sources.previous_figures (the previous assessment's figures.json), or "
                      "an earlier period in the same reports folder"}
#: What a met requirement still leaves to the partnership, when its local input is absent.
STILL_USEFUL = {
    "changes": "the data give only the reasons they can show; the partnership's account of "
               "why things changed",
    "asb": "the council's and housing providers' own ASB records, which police data do not "
           "hold",
}


def checklist_covers(key: str, from_data: bool, inputs: list[str], *,
                     source_missing: bool = False, recomputed: bool = False,
                     frame: Frame | None = None) -> str:
    """What the report shows for one requirement: its pages' public data and the titles of the
    partnership's own inputs supplied.

    Examples
    --------
    >>> checklist_covers("reoffending", False, [])
    'Nothing: public data cannot show this, and no local input is supplied.'
    >>> checklist_covers("asb", False, [], source_missing=True)
    'Nothing: the public source is not configured, and no local input is supplied.'
    >>> checklist_covers("priorities", False, ["The partnership's priorities"])
    "The partnership's own text, as supplied: The partnership's priorities."
    """
    parts = [framed_covers(COVERS[key], frame)] if from_data and key in COVERS else []
    if parts and recomputed:
        parts[0] += (", against the 12 months a year earlier recomputed from this run's own "
                     "files (no earlier assessment's figures were found)")
    if inputs:
        parts.append(("the partnership's own text, as supplied: " if parts else
                      "The partnership's own text, as supplied: ") + "; ".join(inputs))
    if not parts:
        why = "the public source is not configured" if source_missing else (
            "public data cannot show this")
        return f"Nothing: {why}, and no local input is supplied."
    return "; ".join(parts) + "."


def framed_covers(text: str, frame: Frame | None) -> str:
    """A :data:`COVERS` text with its London comparisons named for the run's frame.

    Examples
    --------
    >>> from slp.frame import Frame
    >>> framed_covers("rates, London ranks", Frame.of_force("Gwent Police", ["A", "B"]))
    'rates, ranks among the 2 authorities in the Gwent Police area'
    """
    if frame is None or frame.is_london:
        return text
    return (text.replace("London ranks", f"ranks among {frame.members_phrase}")
            .replace("London comparison", f"comparison with {frame.whole}"))


def checklist_to_write(key: str, met: bool, must_add: str, inputs: list[str],
                       source_missing: bool) -> str:
    """What the partnership must still write for one requirement, and where to name it.

    Examples
    --------
    >>> checklist_to_write("reoffending", False, "re-offending figures", ["reoffending"], False)
    'Re-offending figures. Write them in a Markdown or CSV file and name it in the parameters as local.reoffending.'
    >>> checklist_to_write("crime", True, "", [], False)
    'Nothing required.'
    """
    where = " or ".join(f"local.{k}" for k in inputs)
    if met:
        if key in STILL_USEFUL and inputs:
            return (f"Nothing required; worth adding: {STILL_USEFUL[key]} (as {where}).")
        return "Nothing required."
    text = must_add[:1].upper() + must_add[1:] + "."
    if inputs:
        text += (f" Write them in a Markdown or CSV file and name it in the parameters as "
                 f"{where}.")
    if source_missing and key in SOURCES:
        text += f" For the public data, name {SOURCES[key]}."
    return text


def serious_violence_definition(defined: list[str], found: list[str]) -> str:
    """The stated local definition and how much of it the data hold.

    Examples
    --------
    >>> serious_violence_definition(["Homicide", "Rape", "Arson"], ["Homicide", "Rape"])
    'This assessment counts as serious violence: homicide, rape and arson. The recorded-crime files hold 2 of these 3 categories.'
    """
    names = _join([n.lower() for n in defined])
    text = f"This assessment counts as serious violence: {names}."
    if len(found) == len(defined):
        return text + " The recorded-crime files hold every one of them."
    return text + (f" The recorded-crime files hold {len(found)} of these {len(defined)} "
                   "categories.")


def serious_violence_wards(top: list[str]) -> str:
    """``"Most serious violence was recorded in A, B and C."``"""
    if not top:
        return "No ward recorded serious violence in this period."
    return (f"Most serious violence was recorded in {_join(top)} (the wards with the most "
            "offences, most first).")


def harm_sentence(per_1000: float, before: float, unit: str) -> str:
    """Harm per 1,000 residents and its change.

    Examples
    --------
    >>> harm_sentence(300.0, 250.0, "days of imprisonment")
    'Harm was 300.0 per 1,000 residents (days of imprisonment) in the last 12 months, 20.0% more than the 12 months before (250.0).'
    """
    text = f"Harm was {per_1000:,.1f} per 1,000 residents ({unit}) in the last 12 months"
    if not _known(before) or not before:
        return text + "."
    pct = 100 * (per_1000 - before) / before
    return (f"{text}, {change_phrase(pct)} than the 12 months before ({before:,.1f}).")


def harm_share_sentence(category: str, harm_pct: float, volume_pct: float) -> str:
    """The most harmful category's share of harm beside its share of volume.

    Examples
    --------
    >>> harm_share_sentence("Robbery", 50.0, 25.0)
    'Robbery caused the most harm: 50.0% of the harm, from 25.0% of the crimes.'
    """
    return (f"{_sentence_case(category)} caused the most harm: {harm_pct:.1f}% of the harm, "
            f"from {volume_pct:.1f}% of the crimes.")


def asb_sentence(borough: str, count_now: int, rate: float, change_pct, period: str) -> str:
    """The ASB headline.

    Examples
    --------
    >>> asb_sentence("Wexbridge", 9000, 31.94, None, "October 2025 to September 2026")
    'Wexbridge residents reported 9,000 anti-social behaviour incidents to the police from October 2025 to September 2026: 31.9 per 1,000 residents.'
    """
    text = (f"{borough} residents reported {count(count_now)} anti-social behaviour incidents to "
            f"the police from {period}: {rate:.1f} per 1,000 residents")
    if _known(change_pct):
        text += f", {change_phrase(change_pct)} than in the previous 12 months"
    return text + "."


def asb_short_files(months: int) -> str:
    return (f"The police.uk street files cover {months} months, not the whole reporting period, "
            "so no 12-month ASB figures are shown.")


def asb_wards(top: list[str]) -> str:
    """``"Most anti-social behaviour was reported in A, B and C."``"""
    if not top:
        return "No ward recorded anti-social behaviour in this period."
    return (f"Most anti-social behaviour was reported in {_join(top)} (the wards with the most "
            "incidents, most first).")


def asb_no_change(months: int) -> str:
    return (f"The street files cover {months} months, so there is no earlier 12 months to "
            "compare with: no change is shown.")


def asb_verdict(judged, borough: str) -> str:
    """The verdict on the 12-month change in ASB incidents (a
    :class:`slp.variation.ChangeVerdict`, or None when the months are too few to judge).

    Examples
    --------
    >>> asb_verdict(None, "Wexbridge")
    'The change gets no verdict: the street files hold too few months to judge it.'
    """
    if judged is None:
        return "The change gets no verdict: the street files hold too few months to judge it."
    if judged.verdict is None:
        return "The change gets no verdict: too few incidents to judge it."
    return f"The change is {variation.describe_verdict(judged, borough)}."


def asb_no_area_figures(area: str, have_files: bool) -> str:
    """Why a page shows no ASB figures by ward or LSOA.

    Examples
    --------
    >>> asb_no_area_figures("ward", False)
    'No ASB figures by ward: no police.uk street files are configured (parameter sources.street).'
    """
    if have_files:
        return f"No ASB figures by {area}: the street files do not cover the reporting period."
    return (f"No ASB figures by {area}: no police.uk street files are configured (parameter "
            "sources.street).")


def asb_hotspot_sentence(areas: int, hot: list[str], cold: int) -> str:
    """ASB hot spots by LSOA, in counts of areas, naming up to five hot-spot LSOAs.

    Examples
    --------
    >>> asb_hotspot_sentence(120, ["Wexbridge 001A", "Wexbridge 002C"], 0)
    'Of 120 LSOAs, 2 are in hot spots of anti-social behaviour (Wexbridge 001A and Wexbridge 002C) and none in cold spots (LSOAs which, with their neighbours, have a higher or lower rate than chance would give).'
    """
    named = f" ({_join(hot[:5])}{', among others' if len(hot) > 5 else ''})" if hot else ""
    verb = "is" if len(hot) == 1 else "are"
    return (f"Of {areas} LSOAs, {len(hot) or 'none'} {verb} in hot spots of anti-social "
            f"behaviour{named} and {cold or 'none'} in cold spots (LSOAs which, with their "
            "neighbours, have a higher or lower rate than chance would give).")


def asb_no_hotspots(have_files: bool, areas: int | None = None, needed: int = 8) -> str:
    """Why the ASB page finds no hot spots.

    Examples
    --------
    >>> asb_no_hotspots(True, 5)
    'No ASB hot spot analysis: only 5 LSOAs have residents and incidents to rate; Gi* needs 8 or more.'
    """
    if not have_files:
        return ("No ASB hot spot analysis: no police.uk street files are configured (parameter "
                "sources.street).")
    if areas is None:
        return ("No ASB hot spot analysis: LSOA boundaries and residents are not configured "
                "(parameters sources.lsoa_boundaries and sources.ward_population).")
    return (f"No ASB hot spot analysis: only {areas} LSOAs have residents and incidents to "
            f"rate; Gi* needs {needed} or more.")
