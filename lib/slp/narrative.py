"""Words from numbers: the sentences that open each section, written from the figures.

Every function takes figures (plain numbers, or the ``"<5"`` strings of disclosure control) and
returns plain English in the register of a CSP strategic assessment, e.g.

    "Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more than in the
    previous 12 months; across London crime rose 11.5%."
"""

from __future__ import annotations

import math

import pandas as pd


def ordinal(n: int) -> str:
    """``1 -> "1st"``, ``2 -> "2nd"``, ``11 -> "11th"``, ``22 -> "22nd"``."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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


def significance_phrase(significant, p_value=None) -> str:
    """How sure we are that a change is real, for a lay reader."""
    if significant is None:
        return ""
    if significant:
        return "a statistically significant change, beyond normal variation"
    return "within normal variation, not statistically significant at the 95% level"


def headline_sentence(borough: str, row: dict, *, noun: str = "crime",
                      london_noun: str = "crime") -> str:
    """The section-opening sentence for one window of the headline table.

    Parameters
    ----------
    row : dict
        Keys ``months, end, count, change_pct, london_change_pct`` and optionally
        ``significant``.

    Examples
    --------
    >>> headline_sentence("Lewisham", {"months": 12, "end": "2022-09", "count": 28409,
    ...     "change_pct": 6.66, "london_change_pct": 11.53})
    'Lewisham recorded 28,409 crimes in the 12 months to September 2022, 6.7% more than in the previous 12 months; across London crime rose 11.5%.'
    """
    months = int(row["months"])
    text = (f"{borough} recorded {count(row['count'], noun)} in the {months} months to "
            f"{month_name(row['end'])}, {change_phrase(row.get('change_pct'))} than in the "
            f"previous {months} months")
    if row.get("significant") is not None and _known(row.get("change_pct")):
        text += f" ({significance_phrase(row['significant'])})"
    if _known(row.get("london_change_pct")):
        text += f"; across London {london_noun} {direction(row['london_change_pct'])}"
    return text + "."


def rank_sentence(borough: str, rank: int, rank_of: int, rate: float, *,
                  comparators: dict[str, float] | None = None, what: str = "crime rate") -> str:
    """``"Lewisham had the 14th highest crime rate of the 32 London boroughs (93.0 per 1,000
    residents)."`` plus how named comparators compare."""
    text = (f"{borough} had the {ordinal(rank)} highest {what} of the {rank_of} London boroughs "
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


def category_sentence(borough: str, row: dict, *, most_common: bool = False) -> str:
    """One category's 12-month figures against London, e.g. for violence against the person."""
    name = str(row["category"])
    lead = (f"{_sentence_case(name)} is the most common crime type in {borough}, with "
            if most_common else f"{_sentence_case(name)}: ")
    text = f"{lead}{count(row['count'], 'offence')} recorded"
    if _known(row.get("change_pct")):
        text += f", {change_phrase(row['change_pct'])} than in the previous 12 months"
        if _known(row.get("london_change_pct")):
            text += f" (London: {_signed(row['london_change_pct'])})"
    if row.get("rank") is not None and row.get("rank_of"):
        text += f"; the {ordinal(row['rank'])} highest rate of {row['rank_of']} London boroughs"
    return text + "."


def pre_pandemic_sentence(category: str, pct_diff, significant=None) -> str:
    """``"Theft is 19.0% lower than before the pandemic."``"""
    if not _known(pct_diff):
        return f"{_sentence_case(category)} cannot be compared with pre-pandemic levels."
    if round(pct_diff, 1) == 0:
        return f"{_sentence_case(category)} is at its pre-pandemic level."
    word = "higher" if pct_diff > 0 else "lower"
    text = f"{_sentence_case(category)} is {percent(pct_diff)} {word} than before the pandemic"
    if significant is False:
        text += " (within normal variation)"
    return text + "."


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
