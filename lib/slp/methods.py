"""The methods note every report carries: how changes are judged, in plain English.

The statistics are in :mod:`slp.variation` (is a change unusual for the area) and
:func:`slp.significance.change_funnel` (did the area change differently from London).
"""

from __future__ import annotations

import html
import re

METHODS_NOTE = """\
## How we say whether a change is unusual

**What "unusual" means.** Crime recorded by the police goes up and down from one year to the
next even when nothing has changed underneath: a few busy weekends, a change in how offences are
logged, a police operation that finds more drug offences. So we do not test a change as if the
count were a sample from a survey. We ask whether it is larger than this area's own changes
usually are. For each area and type of crime we look at every earlier change of the same
kind{reference} and measure how much those changes varied. We call a change **a larger rise (or
fall) than usual** when changes that varied as the area's past ones did would produce one that
large less than about once in 20 years; otherwise it is **within the range of normal
year-to-year variation**. We also show the usual range itself: the changes the area saw in nine
years out of ten. A change "within the range" is not proof that nothing changed, and a "larger
than usual" one is not proof that crime itself changed (see below).

**The reference period.** The past changes we compare with are those from before the pandemic,
joined by later ones as soon as they no longer include any month from March 2020 to March 2021,
when lockdowns changed crime in ways that say nothing about normal variation. Where an area has
too little history (fewer than 36 past changes) we compare the change with chance fluctuation
only, allowing for the extra month-to-month variation of crime counts, and say so; this is a
weaker check that calls more changes unusual. Where either period holds fewer than 20 crimes we
give no verdict.

**Shorter periods.** Six- and three-month periods are compared with the period just before
them, as the partnership plan does, after allowing for the usual seasonal pattern (some months
always see more crime than others), and with the same months a year earlier.

**Many rows at once.** When a table judges many crime types or wards at once, some would look
unusual by chance alone; we allow for that (the Benjamini-Hochberg method), so that on average
no more than about one in 20 of the changes we call unusual would be false alarms.

**Compared with {whole}.** "Changed differently from {whole}" means the area's change is further
from {whole_s} than {plural}' changes usually are (Spiegelhalter's funnel plot, allowing for the
ordinary differences between {plural}), not merely that it is not identical to {whole_s}.

**Before the pandemic.** The last 12 months are compared with the same 12 calendar months
before the pandemic (March 2019 to February 2020), judged the same way. Where a chart shows "the
level the 2017-2020 trend would have reached", that line is a projection, not what crime should
have been; its band is as wide as it had to be to hold at least nine months in ten when we
projected earlier {backtested} three years ahead and compared them with what was recorded.

**Why police recorded crime is not tested like a survey.** Police recorded crime is a count of
every crime recorded, not a sample, so there is no sampling error to test, and the Office for
National Statistics does not test changes in it as it tests survey estimates. What varies is the
world that produces the count. A change, unusual or not, can reflect how much crime is reported
and how police record it as well as how much crime there is: a rise in recorded domestic abuse
or sexual offences can mean more victims feel able to report. Read every verdict with that in
mind, and with local knowledge.
"""


def methods_note(reference: str | None = None, frame=None) -> str:
    """The plain-English methods note on how changes are judged, as markdown.

    Parameters
    ----------
    reference : str, optional
        The headline's reference set (``ChangeVerdict.reference``), quoted in the note.
    frame : slp.frame.Frame, optional
        The comparison frame the note names (London and its boroughs by default).

    Returns
    -------
    str
        Markdown, starting with a level-2 heading.

    Examples
    --------
    >>> methods_note().startswith("## How we say whether a change is unusual")
    True
    """
    quoted = f" (for the headline figure: {reference})" if reference else ""
    words = ({"whole": "London", "whole_s": "London's", "plural": "boroughs"}
             if frame is None or frame.is_london else
             {"whole": frame.whole, "whole_s": frame.whole_possessive, "plural": frame.plural})
    return METHODS_NOTE.format(reference=quoted, backtested=backtested(frame), **words)


def backtested(frame=None) -> str:
    """Whose trends the COVID projection's band was back-tested on: the MPS boroughs, whatever
    the frame (a :class:`slp.frame.Frame`) of the run."""
    if frame is None or frame.is_london:
        return "London trends"
    return "trends of the boroughs policed by the Metropolitan Police"


def methods_html(reference: str | None = None, frame=None, *, pandemic: bool = True) -> str:
    """:func:`methods_note` as HTML paragraphs, without its heading (the page gives its own);
    without the paragraph on the comparison with before the pandemic when the run makes none
    (``pandemic=False``: police.uk files that start after it began).

    Examples
    --------
    >>> methods_html().startswith('<p><strong>What &quot;unusual&quot; means.</strong>')
    True
    """
    paragraphs = methods_note(reference, frame).strip().split("\n\n")[1:]
    if not pandemic:
        paragraphs = [t for t in paragraphs if not t.startswith("**Before the pandemic.**")]
    out = []
    for paragraph in paragraphs:
        text = html.escape(" ".join(paragraph.split()))
        out.append("<p>" + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text) + "</p>")
    return "".join(out)
