"""Words for the partnership's priority measures (MPS Monthly Crime Dashboard), from numbers.

The plan's own sentences ("There were over 4,000 domestic abuse offences ...") for the domestic
abuse, knife and gun, and hate crime pages; the shared phrases come from :mod:`slp.narrative`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slp.disclosure import UNDEFINED_LABEL
from slp.narrative import _known, count, lower_first, month_name, nth_highest, percent

if TYPE_CHECKING:
    from slp.frame import Frame


def _increase(change_pct) -> str:
    """``12.34 -> "a 12.3% increase"``, ``-8.3 -> "an 8.3% decrease"``."""
    text = f"{percent(change_pct)} {'increase' if change_pct > 0 else 'decrease'}"
    whole = text.split(".")[0]  # "an" before eight, eleven, eighteen, eighty...
    return f"{'an' if whole.startswith('8') or whole in ('11', '18') else 'a'} {text}"


def priority_sentences(borough: str, row: dict, nouns: str, frame: Frame | None = None
                       ) -> list[str]:
    """The plan's sentences for one dashboard measure, from its published row.

    Parameters
    ----------
    borough : str
    row : dict
        ``end, count, change_pct, london_change_pct, rank, rank_of, rate_per_1000`` after
        disclosure control (a hidden count is ``"<5"``, a withheld figure None).
    nouns : str
        Plural, e.g. ``"domestic abuse offences"``.
    frame : Frame, optional
        The comparison frame (London when not given): "across the Gwent Police area", "of the
        5 authorities in the Gwent Police area".

    Examples
    --------
    >>> priority_sentences("Lewisham", {"end": "2022-08", "count": 4123, "change_pct": 12.3,
    ...     "london_change_pct": 2.8, "rank": 5, "rank_of": 32, "rate_per_1000": 13.46},
    ...     "domestic abuse offences")[1]
    'This was a 12.3% increase on the previous 12 months, compared to a 2.8% increase across London, and the 5th highest rate of all 32 London boroughs (13.46 per 1,000 residents).'
    """
    words = [f"There were {count(row['count'])} {nouns} recorded in {borough} in the 12 months "
             f"to {month_name(row['end'])}."]
    change = row.get("change_pct")
    if change == UNDEFINED_LABEL:
        text = "There were none in the previous 12 months"
    elif not _known(change):
        text = "The change on the previous 12 months cannot be shown (small numbers are suppressed)"
    elif round(change, 1) == 0:
        text = "This was about the same as in the previous 12 months"
    else:
        text = f"This was {_increase(change)} on the previous 12 months"
    london = row.get("london_change_pct")
    whole = "London" if frame is None else frame.whole
    if _known(london):
        text += (f", compared to no change across {whole}" if round(london, 1) == 0
                 else f", compared to {_increase(london)} across {whole}")
    if row.get("rank") and _known(row.get("rate_per_1000")):
        members = (f"all {row['rank_of']} London boroughs" if frame is None or frame.is_london
                   else f"the {row['rank_of']} {frame.plural} in {frame.whole}")
        text += (f", and the {nth_highest(row['rank'])} rate of {members} "
                 f"({row['rate_per_1000']:.2f} per 1,000 residents)")
    return [*words, text + "."]


def priority_verdict_sentence(borough: str, nouns: str, verdict_words: str | None,
                              break_name: str | None) -> str:
    """The verdict on a dashboard measure's change, or why there is none.

    ``verdict_words`` is :func:`slp.variation.describe_verdict` (None: too few to judge).
    """
    if break_name:
        return (f"No verdict is given on the change in {nouns} against normal variation: the "
                f"two periods lie either side of {break_name}.")
    if verdict_words is None:
        return f"There are too few {nouns} to judge their change against normal variation."
    if "chance fluctuation only" in verdict_words:  # too little history: no own-history claim
        return f"The change in {nouns} in {borough} is {verdict_words}."
    return f"Judged against {borough}'s own past changes, the change in {nouns} is " \
           f"{verdict_words}."


def share_sentence(part_label: str, share_pct: float | None, whole_label: str) -> str:
    """``"Domestic abuse violence with injury was 29.8% of domestic abuse offences."``"""
    if share_pct is None:
        return (f"{part_label} as a share of {lower_first(whole_label)} cannot be shown (small "
                f"numbers are suppressed).")
    return f"{part_label} was {share_pct:.1f}% of {lower_first(whole_label)}."
