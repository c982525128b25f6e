"""Words from numbers: the sentences that open each section, written from the figures.

Every function takes figures (plain numbers, or the ``"<5"`` strings of disclosure control) and
returns plain English in the register of a CSP strategic assessment, e.g.

    "Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more than in the
    previous 12 months; across London crime rose 11.5%."

Words that name the comparison frame (London and its boroughs, or a police force's area and its
authorities) come from a :class:`slp.frame.Frame` passed as ``frame=``; without one they name
London.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from slp.disclosure import UNDEFINED_LABEL
from slp.frame import Frame
from slp.methods import backtested

#: The frame when a caller names none: London (a count of its boroughs comes with the figures).
LONDON = Frame.london(())


def ordinal(n: int) -> str:
    """``1 -> "1st"``, ``2 -> "2nd"``, ``11 -> "11th"``, ``22 -> "22nd"``."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def nth_highest(rank: int) -> str:
    """``1 -> "highest"``, ``14 -> "14th highest"`` (never "the 1st highest")."""
    return "highest" if int(rank) == 1 else f"{ordinal(rank)} highest"


def count(value, noun: str | None = None) -> str:
    """``28409 -> "28,409"``; suppressed ``"<5" -> "fewer than 5"``; with a noun, pluralised."""
    if isinstance(value, str):
        text = value.replace("<", "fewer than ")
        return f"{text} {noun}s" if noun else text
    value = int(value)
    text = f"{value:,}"
    if noun:
        text += f" {noun}" + ("" if value == 1 else "s")
    return text


def percent(value: float, digits: int = 1) -> str:
    """Absolute percentage with one decimal: ``-3.14 -> "3.1%"``."""
    return f"{abs(value):.{digits}f}%"


def month_name(month) -> str:
    """``"2022-09" -> "September 2022"``."""
    return pd.Period(month, freq="M").strftime("%B %Y")


def _known(value) -> bool:
    return value is not None and not isinstance(value, str) and not (
        isinstance(value, float) and math.isnan(value))


def change_phrase(change_pct, *, more: str = "more", fewer: str = "fewer") -> str:
    """``6.66 -> "6.7% more"``, ``-3.1 -> "3.1% fewer"``, ``0.04 -> "about the same number"``."""
    if not _known(change_pct):
        return "a change that cannot be shown (small numbers are suppressed)"
    if round(change_pct, 1) == 0:
        return "about the same number"
    return f"{percent(change_pct)} {more if change_pct > 0 else fewer}"


def direction(change_pct, *, up: str = "rose", down: str = "fell", flat: str = "was unchanged"
              ) -> str:
    """``11.53 -> "rose 11.5%"``, ``-8.9 -> "fell 8.9%"``."""
    if not _known(change_pct) or round(change_pct, 1) == 0:
        return flat
    return f"{up if change_pct > 0 else down} {percent(change_pct)}"


def verdict(judged=None, form: str = "clause") -> str:
    """Every word that states a verdict on a change, in one place: replace this function to
    change how the report judges changes.

    A change is judged against the area's own normal variation (:mod:`slp.variation`), never
    called significant as a survey estimate would be: police recorded crime is a full count, not a sample.

    Parameters
    ----------
    judged : str, bool or None
        The verdict on one change: ``"within"``, ``"larger_rise"``, ``"larger_fall"``, or
        ``None`` (no verdict: too few crimes). A bool is an older test against chance alone
        (True: beyond chance fluctuation), still used by the ward page.
    form : str
        For one change: ``"clause"`` (``"within the range of normal year-to-year
        variation"``), ``"cell"`` (the short words under the ``"column"`` header), ``"aside"``
        (``" (a larger rise than usual)"`` after a sentence). Words about verdicts in general
        (``judged`` is ignored): ``"column"`` and ``"headline_column"`` (table headers),
        ``"note"`` (what the verdict means, under a table), ``"counted"`` (how many areas
        changed by more than usual), ``"described"`` (which changes the words describe).

    Examples
    --------
    >>> verdict("within"), verdict("larger_fall", "cell"), verdict(form="column")
    ('within the range of normal year-to-year variation', 'larger fall than usual', \
'Against normal variation')
    """
    general = {
        "column": "Against normal variation",
        "headline_column": "Change against normal variation",
        "note": ("'Normal variation' is the range of this area's own past changes of the same "
                 "kind, before the pandemic; 'How to read the changes' on the summary page "
                 "explains it."),
        "counted": "changed by more than usual",
        "described": "Only categories whose change is larger than usual are described in words "
                     "above",
    }
    if form in general:
        return general[form]
    words = {
        "clause": {"within": "within the range of normal year-to-year variation",
                   "larger_rise": "a larger rise than usual",
                   "larger_fall": "a larger fall than usual",
                   True: "a larger change than chance fluctuation alone would give",
                   False: "within chance fluctuation", None: ""},
        "cell": {"within": "within normal variation", "larger_rise": "larger rise than usual",
                 "larger_fall": "larger fall than usual", True: "beyond chance fluctuation",
                 False: "within chance fluctuation", None: "too few crimes to judge"},
    }
    key = _verdict_key(judged)
    if form == "aside":
        return f" ({words['clause'][key]})" if key is not None else ""
    return words[form][key]


def _verdict_key(judged):
    """A verdict as a key of :func:`verdict`'s words: NaN (a table's missing value) is None."""
    if judged is None or (isinstance(judged, float) and math.isnan(judged)) or judged is pd.NA:
        return None
    if isinstance(judged, bool | np.bool_):
        return bool(judged)
    return str(judged)


VERDICT_COLUMN = verdict(form="column")
#: Said where a change gets no verdict (fewer than 20 crimes in either period).
NO_VERDICT = "too few crimes to judge the change"


def verdict_cell(judged, method: str | None = None) -> str:
    """The short verdict in a table's :data:`VERDICT_COLUMN` (``"within normal variation"``);
    with ``method="chance only"`` (too little history) it says it was compared with chance
    fluctuation only."""
    cell = verdict(judged, "cell")
    if method == "chance only" and _verdict_key(judged) is not None:
        cell += " (compared with chance fluctuation only)"
    return cell


def verdict_count(n: int, of: int, areas: str = "wards") -> str:
    """``"3 of 19 wards changed by more than usual."``"""
    return f"{n} of {of} {areas} {verdict(form='counted')}."


def usual_range(low, high) -> str:
    """``(-8.94, 12.2) -> "-8.9% to +12.2%"``; ``""`` when there is no usual range."""
    if not (_known(low) and _known(high)):
        return ""
    return f"{low:+.1f}% to {high:+.1f}%"


def london_difference(area: str, differs, frame: Frame = LONDON) -> str:
    """Whether the area's change differed from the whole's (London's) by more than the
    members' (boroughs') changes usually do (the funnel of changes); ``""`` when not judged."""
    if differs is None or (isinstance(differs, float) and math.isnan(differs)):
        return ""
    if differs:
        return (f"{area}'s change differed from {frame.whole_possessive} by more than "
                f"{frame.plural}' changes usually differ.")
    return (f"{area}'s change was in line with {frame.whole_possessive}, allowing for the usual "
            f"differences between {frame.plural}.")


def headline_sentence(borough: str, row: dict, *, noun: str = "crime",
                      london_noun: str = "crime", frame: Frame = LONDON) -> str:
    """The section-opening sentence for one window of the headline table.

    Parameters
    ----------
    row : dict
        Keys ``months, end, count, change_pct, london_change_pct`` and optionally
        ``verdict_words`` (the verdict on the change, :func:`slp.variation.describe_verdict`),
        ``year_earlier_change_pct`` and ``year_earlier_words`` (the same months a year
        earlier, for windows shorter than 12 months).

    Examples
    --------
    >>> headline_sentence("Lewisham", {"months": 12, "end": "2022-09", "count": 28409,
    ...     "change_pct": 6.66, "london_change_pct": 11.53})
    'Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more than in the previous 12 months; across London crime rose 11.5%.'
    """
    months = int(row["months"])
    text = f"{borough} recorded {count(row['count'], noun)} in the {months} months to " \
           f"{month_name(row['end'])}, "
    if row.get("change_pct") == UNDEFINED_LABEL:  # a change from 0 does not exist
        text += f"against none in the previous {months} months"
    else:
        text += f"{change_phrase(row.get('change_pct'))} than in the previous {months} months"
    if row.get("verdict_words") and _known(row.get("change_pct")):
        text += f": {row['verdict_words']}"
    if months < 12 and _known(row.get("year_earlier_change_pct")):
        text += (f"; {change_phrase(row['year_earlier_change_pct'])} than in the same months a "
                 "year earlier")
        if row.get("year_earlier_words"):
            text += f": {row['year_earlier_words']}"
    if _known(row.get("london_change_pct")):
        text += f"; across {frame.whole} {london_noun} {direction(row['london_change_pct'])}"
    return text + "."


def rank_sentence(borough: str, rank: int, rank_of: int, rate: float, *,
                  comparators: dict[str, float] | None = None, what: str = "crime rate",
                  frame: Frame = LONDON) -> str:
    """``"Lewisham had the 14th highest crime rate of the 32 London boroughs (93.0 per 1,000
    residents)."`` ("... of the 5 authorities in the Gwent Police area ...") plus how named
    comparators compare."""
    text = (f"{borough} had the {nth_highest(rank)} {what} of the {frame.counted(rank_of)} "
            f"({rate:.1f} per 1,000 residents).")
    if comparators:
        higher = [n for n, r in comparators.items() if r > rate]
        lower = [n for n, r in comparators.items() if r <= rate]
        parts = []
        if higher:
            parts.append(f"{_join(higher)} {'has' if len(higher) == 1 else 'have'} a higher rate")
        if lower:
            parts.append(f"{_join(lower)} {'has' if len(lower) == 1 else 'have'} a lower rate")
        text += " Of its comparators, " + " and ".join(parts) + "."
    return text


def category_sentence(borough: str, row: dict, *, most_common: bool = False,
                      frame: Frame = LONDON) -> str:
    """One category's 12-month figures against the whole (London), e.g. for violence against
    the person."""
    name = str(row["category"])
    lead = (f"{_sentence_case(name)} is the most common crime type in {borough}, with "
            if most_common else f"{_sentence_case(name)}: ")
    text = f"{lead}{count(row['count'], 'offence')} recorded"
    if _known(row.get("change_pct")):
        text += f", {change_phrase(row['change_pct'])} than in the previous 12 months"
        if _known(row.get("london_change_pct")):
            text += f" ({frame.whole_label}: {_signed(row['london_change_pct'])})"
    if row.get("rank") is not None and row.get("rank_of"):
        place = (f"joint {ordinal(row['rank'])} highest" if row.get("rank_tied")
                 else nth_highest(row["rank"]))
        text += (f"; the {place} rate of "
                 f"{_among(frame, row['rank_of'])}")
    return text + "."


def category_trend_sentence(borough: str, row: dict, words: str | None,
                            frame: Frame = LONDON) -> str:
    """:func:`category_sentence` followed by the verdict on its change, e.g. ``"... Within the
    range of normal year-to-year variation (...)."``; nothing when there is no verdict."""
    if not words:
        return category_sentence(borough, row, frame=frame)
    return f"{category_sentence(borough, row, frame=frame)} {words[:1].upper()}{words[1:]}."


def pre_pandemic_sentence(category: str, pct_diff, judged=None, usual=None) -> str:
    """``"Theft is 19.0% lower than before the pandemic."``, with the verdict (``judged``) and
    the usual range of such changes before the pandemic (``usual``: (low, high) in %)."""
    if not _known(pct_diff):
        return f"{_sentence_case(category)} cannot be compared with pre-pandemic levels."
    if round(pct_diff, 1) == 0:
        return f"{_sentence_case(category)} is at its pre-pandemic level."
    word = "higher" if pct_diff > 0 else "lower"
    text = f"{_sentence_case(category)} is {percent(pct_diff)} {word} than before the pandemic"
    aside = verdict(judged, "aside")
    if aside and usual and usual_range(*usual):
        aside = f"{aside[:-1]}; usual range {usual_range(*usual)})"
    return text + aside + "."


# --- sentences of the sections, one function per kind of statement -------------------------------


def rank_label(rank, tied: bool = False) -> str:
    """A rank as a table shows it: ``"3"``, or ``"=3"`` when shared with another area.

    Ties share the highest position (areas with the same rate all get the best rank among
    them); :data:`TIE_NOTE` says so under the table.
    """
    if rank is None or (isinstance(rank, float) and math.isnan(rank)) or rank is pd.NA:
        return "-"
    return f"={int(rank)}" if tied else f"{int(rank)}"


def tie_note(frame: Frame = LONDON) -> str:
    """Under a table with a shared rank: what ``"="`` means."""
    return (f"'=' marks a rank shared with other {frame.plural} that have the same rate; tied "
            f"{frame.plural} all take the highest position they share.")


TIE_NOTE = tie_note()


def largest_rise_sentence(category: str, change_pct, london_change_pct, words: str | None,
                          frame: Frame = LONDON) -> str:
    """``"The largest rise among the main crime categories was in sexual offences, up 20.1%
    (London: +9.7%); within the range of normal year-to-year variation (...)."``

    ``words`` is the verdict with its usual range (:func:`slp.variation.describe_verdict`);
    None when there is no verdict."""
    return (f"The largest rise among the main crime categories was in {category.lower()}, up "
            f"{percent(change_pct)} ({frame.whole_label}: {london_change_pct:+.1f}%); "
            f"{words or NO_VERDICT}.")


def borough_rank_sentence(borough: str, rank: int, rank_of: int, rate: float,
                          frame: Frame = LONDON) -> str:
    """``"Lewisham ranks 14th of 32 boroughs with 93.0 crimes per 1,000 residents."``"""
    return (f"{borough} ranks {ordinal(rank)} of {rank_of} {frame.plural} with {rate:.1f} "
            "crimes per 1,000 residents.")


def funnel_note(frame: Frame = LONDON) -> str:
    """Under the funnel plot: what its limits allow for."""
    return (f"The limits allow for the real variation between {frame.plural} as well as chance "
            "(an overdispersed funnel plot, Spiegelhalter 2005).")


FUNNEL_NOTE = funnel_note()


def funnel_sentence(borough: str, rate: float, position: str, london_rate: float,
                    frame: Frame = LONDON) -> str:
    """Where the area lies against the funnel's 95% limits around the whole's (London's) rate."""
    where = {"above": "above the upper", "below": "below the lower", "within": "within the"}
    text = (f"{borough}'s rate of {rate:.1f} per 1,000 lies {where[position]} 95% limit around "
            f"{frame.whole_possessive} rate of {london_rate:.1f}")
    if position != "within":
        return text + ("; a difference that large is unlikely to be chance or the ordinary "
                       f"variation between {frame.plural}.")
    return text + (f": its difference from {frame.whole} is within the ordinary variation "
                   f"between {frame.plural}.")


def rank_note(frame: Frame, what: str = " for the category") -> str:
    """Under a table with ranks: ``"Rank: the borough's rate for the category among the 32
    London boroughs, 1 = highest."``"""
    return f"Rank: the {frame.noun}'s rate{what} among the {frame.counted()}, 1 = highest."


RANK_NOTE = "Rank: the borough's rate for the category among the 32 London boroughs, 1 = highest."
REVISION_CAVEAT = ("The MPS revises past months in every monthly refresh, so figures here can "
                   "differ slightly from figures published earlier from an older download.")

def population_note(population_label: str, frame: Frame) -> str:
    """What rates and the whole ("London") mean in this report."""
    text = f"Rates per 1,000 residents use {population_label}. "
    if frame.is_london:
        return text + (f"London means the {frame.count} boroughs policed by the MPS; rows not "
                       "attributed to a borough (such as the airports) are left out of both "
                       "borough and London totals.")
    return text + (f"{frame.whole_opening} means the {frame.count} {frame.plural} whose areas "
                   f"the police.uk files of {frame.force} cover; crimes the files do not place "
                   f"in one of them are left out of both {frame.noun} and {frame.whole_label} "
                   "totals (the caveats below count them).")


def published_comparison(differ: int, total: int, source: str) -> str:
    """How many figures published earlier are reproduced, and why some differ."""
    if differ:
        return (f"{differ} of the {total} figures published in the {source} differ slightly "
                "from the figures here. The police data are revised every month as crimes are "
                "reclassified or recorded late, so a later download gives slightly different "
                "counts for the same months; figures here come from the files listed above.")
    return (f"All {total} figures published in the {source} are reproduced here at the "
            "precision they were printed.")


def monthly_trend_sentence(peak_month, peak: int, end_month, last: int,
                           year_ago: int | None) -> str:
    """The busiest month, and the last month against the same month a year earlier."""
    return (f"The busiest month was {peak_month.strftime('%B %Y')} with {peak:,} crimes. "
            f"{end_month.strftime('%B %Y')} had {last:,}"
            + (f", against {year_ago:,} a year earlier." if year_ago is not None else "."))


def seasonal_sentence(high: str, high_pct: float, low: str, low_pct: float) -> str:
    return (f"Crime is usually highest in {high} ({high_pct:+.1f}% against the underlying "
            f"level) and lowest in {low} ({low_pct:+.1f}%).")


def largest_change_sentence(direction: str, minor: str, major: str, change: int,
                            change_pct: float, words: str | None) -> str:
    """``"The largest increase was in shoplifting (theft): 120 more crimes, 14.2%; ..."`` and
    the verdict with its usual range (``words``, as :func:`largest_rise_sentence`). A category
    that is its own main category (police.uk's crime types) is named once."""
    within = "" if minor.lower() == major.lower() else f" ({major.lower()})"
    return (f"The largest {direction} was in {minor.lower()}{within}: "
            f"{int(abs(change)):,} {'more' if direction == 'increase' else 'fewer'} crimes, "
            f"{percent(change_pct)}; {words or NO_VERDICT}.")


def comparator_sentence(area: str, rate: float, position: str, borough: str,
                        change_pct) -> str:
    return (f"{area}: {rate:.1f} crimes per 1,000 residents, a {position} rate than {borough}; "
            f"crime {direction(change_pct)} on the previous 12 months.")


def lockdown_fall_sentence(borough: str, february: float, april: float) -> str:
    return (f"{borough}'s monthly rate fell from {february:.1f} per 1,000 in February 2020 to "
            f"{april:.1f} in April 2020, the first full month of lockdown.")


def higher_lower_sentences(borough: str, higher: list[str], lower: list[str]) -> list[str]:
    """Which areas had a higher, and which a lower, average monthly rate."""
    lines = []
    if higher:
        lines.append(f"Over the last 12 months the average monthly rate was higher in "
                     f"{_join(higher)} than in {borough}.")
    if lower:
        lines.append(f"It was lower in {_join(lower)}.")
    return lines


#: The COVID page's name for the projection: a projection, not what crime "should" have been.
TREND_LEVEL = "the level the 2017-2020 trend would have reached"


def expected_sentences(borough: str, observed: float, expected: float, outside: int,
                       frame: Frame = LONDON) -> list[str]:
    """Recorded crime over 12 months against :data:`TREND_LEVEL`, and the months outside its
    back-tested band."""
    pct = 100 * (observed / expected - 1)
    return [f"Over the last 12 months {borough} recorded {observed:,.0f} crimes; "
            f"{TREND_LEVEL} is {expected:,.0f}: {percent(pct)} "
            f"{'more' if pct > 0 else 'fewer'} were recorded.",
            f"{outside} of those 12 months fell outside the band, which is as wide as it had to "
            f"be to hold at least nine months in ten when earlier {backtested(frame)} were "
            "projected three years ahead. The projection assumes the 2017-2020 trend would have "
            "run on unchanged, which no one can know."]


def deepest_fall_sentence(month, pct_diff: float) -> str:
    return (f"The deepest fall was in {month.strftime('%B %Y')}: {percent(pct_diff)} below "
            f"{TREND_LEVEL}.")


def pre_pandemic_total_sentence(total, change_pct: float, words: str | None = None) -> str:
    """All crime in the last 12 months against the same 12 calendar months before the
    pandemic, with the verdict on the change (:func:`slp.variation.describe_verdict`)."""
    text = (f"All crime: {count(total)} in the last 12 months, {percent(change_pct)} "
            f"{'above' if change_pct > 0 else 'below'} the 12 months before the "
            "pandemic (March 2019 to February 2020)")
    return text + (f": {words}." if words else ".")


PRE_PANDEMIC_NOTE = (f"{verdict(form='described')}; population change between the two periods "
                     "is not taken into account.")


def dashboard_rank_sentence(rank: int, rank_of: int, rate: float, frame: Frame = LONDON) -> str:
    return (f" That is the {nth_highest(rank)} rate of {_among(frame, rank_of)} "
            f"({rate:.2f} per 1,000 residents).")


def none_in_file(what: list[str]) -> str:
    """``"The dashboard file has no gun crime offences."``"""
    return f"The dashboard file has no {_join(what)}."


POSSESSION_NOTE = ("These are offences of possessing a weapon; they are not the knife-crime "
                   "flag, which marks offences of any type in which a knife was used or "
                   "threatened.")


def ward_rate_sentences(highest: str | None, highest_rate: float | None, lowest: str | None,
                        lowest_rate: float | None, most: str, most_count, wards: int, total
                        ) -> list[str]:
    """The ward with the highest and lowest rate (left out when no rate is shown), the ward
    with the most crimes, and the total."""
    lines = []
    if highest_rate is not None and lowest_rate is not None:
        lines.append(f"{highest} has the highest rate, {highest_rate:.1f} crimes per 1,000 "
                     f"residents; {lowest} the lowest, {lowest_rate:.1f}.")
    lines.append(f"{most} recorded the most crimes: {count(most_count)}.")
    lines.append(f"The {wards} wards together recorded {count(total)} crimes.")
    return lines


def ward_change_sentences(up: str, up_pct, down: str, down_pct, changed: int, wards: int
                          ) -> list[str]:
    lines = []
    if _known(up_pct) and _known(down_pct):
        lines.append(f"The largest rise was in {up} ({up_pct:+.1f}%), the largest fall in "
                     f"{down} ({down_pct:+.1f}%).")
    lines.append(verdict_count(changed, wards))
    return lines


def ward_coverage_note(first, last, geography: str, frame: Frame = LONDON) -> str:
    return (f"Ward file covers {first:%B %Y} to {last:%B %Y} ({geography}). Not every offence is "
            "recorded against a ward, so ward counts add up to a little less than the "
            f"{frame.noun} total.")


def ward_file_gap(months: str, coverage: str, *, previous: bool = False) -> str:
    """The ward file does not cover the window (or the window and the year before it)."""
    if previous:
        return (f"The ward file does not cover both {months} and the 12 months before, so the "
                f"change by ward cannot be shown. {coverage}")
    return f"The ward file does not cover all of {months}. {coverage}"


def hotspot_sentences(hot: list[str], cold: list[str]) -> list[str]:
    return [f"Hot spots (high rates clustered together, after a false-discovery-rate "
            f"correction): {_join(hot) if hot else 'none'}.",
            f"Cold spots: {_join(cold) if cold else 'none'}."]


HOTSPOT_WITHHELD_NOTE = ("The z-scores and p-values are withheld ('[x]'): each is computed from "
                         "every ward's rate, including a rate withheld to protect a small "
                         "number.")


def hotspot_moves(moved: dict[str, list[str]] | None) -> list[str]:
    """Emerging, persistent and cooling hot spots; ``None`` when there is no earlier year."""
    if moved is None:
        return ["The ward file does not cover the previous 12 months, so emerging and "
                "cooling hot spots cannot be told apart."]
    return [f"{status.capitalize()}: {_join(names)}." for status, names in moved.items() if names]


def _among(frame: Frame, n: int) -> str:
    """Whom a rank is among, after "of": "32 London boroughs" (as the plan words it); "the 5
    authorities in the Gwent Police area"."""
    return frame.counted(n) if frame.is_london else f"the {frame.counted(n)}"


def _signed(value: float) -> str:
    return f"{value:+.1f}%"


def _sentence_case(name: str) -> str:
    """MPS categories arrive Title Case or UPPER CASE; sentences want 'Violence against...'."""
    words = name.strip().lower()
    return words[:1].upper() + words[1:]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- small helpers shared with the charts and maps ---------------------------------------------


def lower_first(text: str) -> str:
    """``"Crimes per 1,000"`` -> ``"crimes per 1,000"``, leaving acronyms (``"ASB"``) alone.

    Examples
    --------
    >>> lower_first("Crimes per 1,000 residents"), lower_first("ASB incidents")
    ('crimes per 1,000 residents', 'ASB incidents')
    """
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def with_period(text: str, period_label: str | None) -> str:
    """``text`` followed by ``", <period>"`` when there is a period."""
    return f"{text}, {period_label}" if period_label else text


def caption(title: str, period_label: str | None, note: str | None) -> str:
    """A figure's caption: ``"Title, period. Note"``.

    Examples
    --------
    >>> caption("Crime rate", "12 months to September 2022", "Source: MPS.")
    'Crime rate, 12 months to September 2022. Source: MPS.'
    """
    text = f"{with_period(title, period_label)}."
    return f"{text} {note}" if note else text
