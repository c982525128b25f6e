"""The ward page's words: ward geography and populations, ward verdicts, hot spots.

The ward-level companion of :mod:`slp.narrative` (kept apart so neither module grows past the
size the project allows): plain sentences and table cells, no figures computed here.
"""

from __future__ import annotations

from slp.narrative import _join, _signed

#: What a police.uk run's ward and LSOA figures rest on, said on every page that maps them.
APPROXIMATE = (
    "Locations are approximate: data.police.uk places each crime and incident 'on or near' a "
    "point on a street (an anonymised map point, not the address), so one close to a boundary "
    "can be counted in the neighbouring LSOA or ward.")
#: Table column: the ward's own change (wards have 24 months of figures: against chance only).
WARD_VERDICT_COLUMN = "Unusual for the ward? (against chance fluctuation)"
#: Table column: the ward against its borough, in the funnel of changes.
WARD_DIFFERS_COLUMN = "Changed differently from the borough?"
#: The area the wards are set against, in running text, on a London run.
BOROUGH = "the borough"
WARD_VERDICT_WORDS = {"within": "no, within normal variation",
                      "larger_rise": "yes, a larger rise than usual",
                      "larger_fall": "yes, a larger fall than usual",
                      None: "too few crimes to judge"}
#: Public words for the hot spot classes: "not significant" is a statistician's phrase.
HOTSPOT_CLASS_WORDS = {"hot spot": "hot spot", "cold spot": "cold spot",
                       "not significant": "no cluster"}



def hotspot_status_words(place: str = BOROUGH) -> dict[str, str]:
    """The hot spot statuses in words, against ``place`` ("the borough"; the authority's name
    on a police.uk run)."""
    return {"emerging": f"emerging: rose more than {place} as a whole",
            "cooling": f"cooling: fell more than {place} as a whole",
            "persistent": f"persistent: a hot spot that changed like {place}",
            "none": f"changed like {place}"}


HOTSPOT_STATUS_WORDS = hotspot_status_words()


def ward_differs_column(place: str = BOROUGH) -> str:
    """``"Changed differently from the borough?"`` / ``"... from Newport?"``."""
    return f"Changed differently from {place}?"


def possessive(place: str) -> str:
    return f"{place}'" if place.endswith("s") and place != BOROUGH else f"{place}'s"


def ward_verdict_cell(verdict) -> str:
    """A ward's own verdict (``"within"``, ``"larger_rise"``, ``"larger_fall"`` or None)."""
    return WARD_VERDICT_WORDS.get(None if verdict is None or verdict != verdict else verdict,
                                  WARD_VERDICT_WORDS[None])


def ward_differs_cell(differs) -> str:
    """``"yes"``, ``"no"`` or ``"too few crimes to judge"`` (None)."""
    if differs is None or differs != differs:
        return WARD_VERDICT_WORDS[None]
    return "yes" if differs else "no"


def ward_differs_sentences(rose: list[str], fell: list[str], judged: int, wards: int,
                           borough_change_pct, place: str = BOROUGH) -> list[str]:
    """Which wards changed differently from their borough, beyond the usual spread of wards.

    Examples
    --------
    >>> ward_differs_sentences(["Deptford"], [], 19, 19, 6.7)[0]
    "Against the borough's change (+6.7%), allowing for the usual spread between wards: Deptford rose more; none fell more."
    """
    lines = [f"Against {possessive(place)} change ({_signed(borough_change_pct)}), allowing "
             "for the "
             f"usual spread between wards: {_join(rose) + ' rose more' if rose else 'none rose more'}"
             f"; {_join(fell) + ' fell more' if fell else 'none fell more'}."]
    if judged < wards:
        lines.append(f"{wards - judged} of {wards} wards have too few crimes (under 20) to judge.")
    return lines


def uncertain_rank_sentence(ward: str, end: str, difference: float, holds: bool) -> str:
    """A ranking ("highest rate") that rests on a population the two methods disagree on.

    Examples
    --------
    >>> uncertain_rank_sentence("Lewisham Central", "highest", -0.1147, False)
    "Lewisham Central's population is uncertain (splitting LSOAs that straddle its boundary by area gives 11% fewer residents), and with that population another ward would have the highest rate: treat this ranking with caution."
    """
    more = "more" if difference > 0 else "fewer"
    then = (f"its rate would still be the {end}" if holds
            else f"with that population another ward would have the {end} rate")
    return (f"{ward}'s population is uncertain (splitting LSOAs that straddle its boundary by "
            f"area gives {abs(difference):.0%} {more} residents), and {then}: treat this "
            "ranking with caution.")


def ward_geography_note(method: str, caveats: list[str]) -> str:
    """How the ward boundaries on the maps were obtained, for the maps' notes."""
    text = "; ".join(caveats)
    if method == "best fit" and "best-fit" not in text:
        text = f"ward boundaries are a best-fit approximation; {text}"
    return text[:1].upper() + text[1:] + "."


def no_ward_rows(borough: str, files: str) -> str:
    """The ward crime file does not cover the borough at all."""
    return (f"The ward crime file ({files}) has no rows for {borough}, so this section shows no "
            "ward figures. Give a ward crime file that covers it (sources.ward_crime).")


def hotspot_change_sentences(moved: dict[str, list[str]] | None,
                             place: str = BOROUGH) -> list[str]:
    """Emerging, cooling and persistent hot spots from a test of each ward's change."""
    if moved is None:
        return ["The ward file does not cover the previous 12 months, so emerging and "
                "cooling hot spots cannot be told apart."]
    said = {"emerging": f"Emerging (rose more than {place} as a whole, beyond the usual "
                        "spread between wards)",
            "cooling": f"Cooling (fell more than {place} as a whole, beyond the usual spread "
                       "between wards)",
            "persistent": f"Persistent hot spots (changed like {place})"}
    lines = [f"{said[s]}: {_join(names)}." for s, names in moved.items() if names]
    return lines or [f"No ward rose or fell more than {place} as a whole, beyond the usual "
                     "spread between wards."]


def lsoa_hotspot_sentence(areas: int, hot: int, cold: int) -> str:
    """Hot spots by LSOA from street-level data, in counts of areas.

    Examples
    --------
    >>> lsoa_hotspot_sentence(150, 4, 0)
    'By LSOA (150 small areas, from street-level crimes), where clusters show more clearly than by ward: 4 LSOAs in hot spots and none in cold spots.'
    """
    def some(n: int) -> str:
        return "none" if n == 0 else f"{n} LSOA{'s' if n != 1 else ''}"

    return (f"By LSOA ({areas} small areas, from street-level crimes), where clusters show more "
            f"clearly than by ward: {some(hot)} in hot spots and {some(cold)} in cold spots.")


def lsoa_hotspot_gap(months: str) -> str:
    """Street-level data are configured but do not cover the window."""
    return (f"The street-level files do not cover every month of {months}, so hot spots by LSOA "
            "(smaller areas than wards) cannot be shown.")
