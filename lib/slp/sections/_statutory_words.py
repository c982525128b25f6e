"""Words for the statutory assessment's pages (checklist, serious violence, harm, ASB), from numbers.

The shared phrases come from :mod:`slp.narrative`.
"""

from __future__ import annotations

from slp.narrative import _join, _known, _sentence_case, change_phrase, count


def checklist_sentence(met: int, partly: int, missing: int, total: int) -> str:
    """How much of the statutory checklist a report covers.

    Examples
    --------
    >>> checklist_sentence(4, 2, 3, 9)
    'Of the 9 things the law asks this assessment to cover, this report meets 4, meets 2 only in part (the partnership must add its own figures), and 3 are not supplied: the partnership must write them.'
    """
    parts = [f"meets {met}"]
    if partly:
        parts.append(f"meets {partly} only in part (the partnership must add its own figures)")
    text = f"Of the {total} things the law asks this assessment to cover, this report "
    text += ", ".join(parts[:-1]) + (", " if len(parts) > 1 else "") + parts[-1]
    if missing:
        text += (f", and {missing} {'is' if missing == 1 else 'are'} not supplied: the "
                 f"partnership must write {'it' if missing == 1 else 'them'}")
    return text + "."


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
