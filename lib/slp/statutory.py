"""The statutory checklist: what the law asks a strategic assessment to cover, and where a run
meets it.

A Community Safety Partnership's strategic assessment is set by the Crime and Disorder Act
1998 s.6 (as amended by the Police and Justice Act 2006, the Policing and Crime Act 2009 and the
Police, Crime, Sentencing and Courts Act 2022), by the strategy regulations (SI 2007/1830 in
England; SI 2007/3076 in Wales) and by the Serious Violence Duty (Police, Crime, Sentencing and
Courts Act 2022 s.8). :data:`REQUIREMENTS` lists each requirement with its legal source;
:func:`checklist` says, for one run, which section or local input meets each one, or that it
is "not supplied: local input" and what the partnership must add.

Pure data and logic: no HTML. Pages name their sections with the keys in
:data:`SECTION_KEYS` and the params' ``local:`` block names files with the keys in
:data:`LOCAL_INPUT_KEYS`.

Examples
--------
>>> items = checklist({"summary": "index.html#summary"}, {}).items
>>> items[0].status, items[0].met_by
('met', ('index.html#summary',))
>>> [i.key for i in items if i.status == NOT_SUPPLIED][:2]
['asb', 'substance_misuse']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from slp.errors import SlpError

CDA = "Crime and Disorder Act 1998"
PCSCA = "Police, Crime, Sentencing and Courts Act 2022"
REGULATIONS = {
    "England": "Crime and Disorder (Formulation and Implementation of Strategy) Regulations "
               "2007 (SI 2007/1830), regs 5 to 7 (strategic assessment)",
    "Wales": "Crime and Disorder (Formulation and Implementation of Strategy) (Wales) "
             "Regulations 2007 (SI 2007/3076)",
}
MET, PARTLY, NOT_SUPPLIED = "met", "partly met", "not supplied: local input"


@dataclass(frozen=True)
class Requirement:
    """One thing the law asks the assessment to cover.

    Attributes
    ----------
    key : str
    title : str
        The requirement in words.
    law : tuple of str
        Its sources, by name; ``"{regulations}"`` stands for the country's regulations.
    sections : tuple of str
        Section keys (see :data:`SECTION_KEYS`) that meet it from public data.
    local_inputs : tuple of str
        Local input keys (see :data:`LOCAL_INPUT_KEYS`) that meet it.
    data_suffice : bool
        Whether a section alone meets it; if not, a section meets it only in part and the
        local input is still needed.
    must_add : str
        What the partnership must add when no local input is supplied.
    """

    key: str
    title: str
    law: tuple[str, ...]
    sections: tuple[str, ...]
    local_inputs: tuple[str, ...]
    data_suffice: bool
    must_add: str


REGS = "{regulations}"
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "crime", "Levels and patterns of crime",
        (f"{CDA} s.6(1)(a)", REGS),
        ("summary", "trends", "categories", "wards", "hotspots"), (), True,
        "recorded-crime figures for the area (a data source the run could read)"),
    Requirement(
        "asb", "Anti-social behaviour and other behaviour adversely affecting the local "
               "environment",
        (f"{CDA} s.6(1)(a)", REGS),
        ("asb",), ("asb",), True,
        "anti-social behaviour figures: police.uk street files for the police-reported "
        "incidents, and the council's and housing providers' own ASB records"),
    Requirement(
        "substance_misuse", "Misuse of drugs, alcohol and other substances",
        (f"{CDA} s.6(1)(b)", REGS),
        ("substance_misuse",), ("substance_misuse",), False,
        "substance-misuse figures from partners (public health, treatment services, "
        "alcohol-related hospital admissions); police drug offences measure police activity, "
        "not the level of misuse"),
    Requirement(
        "reoffending", "Re-offending",
        (f"{CDA} s.6(1)(c)",),
        (), ("reoffending",), False,
        "re-offending figures from probation and the youth justice service (e.g. Ministry of "
        "Justice proven re-offending rates for the area)"),
    Requirement(
        "serious_violence", "Serious violence: the kinds of serious violence in the area and "
                            "their causes (strategic needs assessment)",
        (f"{CDA} s.6(1)(d), inserted by {PCSCA} s.20",
         f"{PCSCA} s.8(3)(a) and (b) (Serious Violence Duty)"),
        ("serious_violence",), ("serious_violence",), False,
        "the Serious Violence Duty's strategic needs assessment: the causes of serious "
        "violence and partners' data (health, education, youth justice)"),
    Requirement(
        "changes", "Changes in levels and patterns since the previous assessment, and why",
        (REGS,),
        ("changes",), ("changes",), True,
        "the previous assessment's figures (its figures.json) so that the changes can be "
        "listed, or a written account of the changes and their causes"),
    Requirement(
        "priorities", "Matters the partnership should prioritise",
        (REGS,),
        (), ("priorities",), False,
        "the priorities the partnership chose, with the reasons for choosing them"),
    Requirement(
        "community_views", "Views of people living and working in the area on what should "
                           "be prioritised",
        (REGS, f"{CDA} s.6"),
        (), ("consultation",), False,
        "consultation findings (e.g. a residents' survey summary, community meetings)"),
    Requirement(
        "previous_plan", "How far the previous partnership plan was implemented",
        (REGS,),
        (), ("previous_plan",), False,
        "a review of the previous partnership plan: what was done, what was not, and why"),
)
#: Every section key a requirement can be met by.
SECTION_KEYS = tuple(dict.fromkeys(s for r in REQUIREMENTS for s in r.sections))
#: Every local input key a requirement can be met by (the params' ``local:`` block names).
LOCAL_INPUT_KEYS = tuple(dict.fromkeys(s for r in REQUIREMENTS for s in r.local_inputs))


@dataclass(frozen=True)
class Item:
    """One requirement's status in a run.

    Attributes
    ----------
    key, title : str
        From the :class:`Requirement`.
    law : tuple of str
        Its legal sources, the country's regulations named in full.
    status : str
        :data:`MET`, :data:`PARTLY` or :data:`NOT_SUPPLIED` (``"not supplied: local input"``).
    met_by : tuple of str
        Where the report meets it: the anchors of the sections and local inputs that did.
    must_add : str
        What the partnership must still add ("" when met).
    """

    key: str
    title: str
    law: tuple[str, ...]
    status: str
    met_by: tuple[str, ...]
    must_add: str


@dataclass(frozen=True)
class Checklist:
    """The checklist of one run.

    Attributes
    ----------
    items : tuple of Item
        One per requirement, in the order of :data:`REQUIREMENTS`.
    country : str
        ``"England"`` or ``"Wales"``: which regulations are cited.
    unused_inputs : tuple of str
        Local inputs supplied that no requirement uses (a misspelt key shows up here).
    """

    items: tuple[Item, ...]
    country: str
    unused_inputs: tuple[str, ...]

    def rows(self) -> list[dict]:
        """One plain dict per requirement (``law`` and ``met_by`` joined with "; "), for a table."""
        return [{"requirement": i.title, "law": "; ".join(i.law), "status": i.status,
                 "met_by": "; ".join(i.met_by), "must_add": i.must_add} for i in self.items]


def _anchors(given: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """Key -> anchor; a plain list of keys gets ``#key`` anchors."""
    if given is None:
        return {}
    if isinstance(given, Mapping):
        return {str(k): str(v) for k, v in given.items()}
    return {str(k): f"#{k}" for k in given}


def checklist(sections: Mapping[str, str] | Iterable[str],
              local_inputs: Mapping[str, str] | Iterable[str] | None = None, *,
              country: str = "England") -> Checklist:
    """Each statutory requirement, met by a section or local input of this run, or not.

    Parameters
    ----------
    sections : mapping or iterable of str
        The sections that ran and produced figures, as key -> anchor (e.g.
        ``{"asb": "asb.html#volume"}``) or just keys (anchors ``#key``). Keys that no
        requirement uses are ignored.
    local_inputs : mapping or iterable of str, optional
        The local inputs supplied (params ``local:`` block), as key -> anchor where the report
        renders it, or just keys.
    country : {"England", "Wales"}
        Which strategy regulations apply.

    Returns
    -------
    Checklist
        A requirement is :data:`MET` by any of its sections when ``data_suffice``, and by any
        of its local inputs always; :data:`PARTLY` when only a section that does not suffice
        ran; otherwise :data:`NOT_SUPPLIED` with ``must_add``.

    Raises
    ------
    SlpError
        An unknown ``country``.

    Examples
    --------
    >>> c = checklist(["summary", "substance_misuse"], {"priorities": "local.html#priorities"},
    ...               country="Wales")
    >>> [(i.key, i.status) for i in c.items][:3]
    [('crime', 'met'), ('asb', 'not supplied: local input'), ('substance_misuse', 'partly met')]
    >>> c.items[6].met_by
    ('local.html#priorities',)
    """
    if country not in REGULATIONS:
        raise SlpError(f"statutory checklist: country {country!r} is not known; expected "
                       "'England' or 'Wales'")
    ran, supplied = _anchors(sections), _anchors(local_inputs)
    items = []
    for req in REQUIREMENTS:
        by_section = tuple(ran[s] for s in req.sections if s in ran)
        by_input = tuple(supplied[k] for k in req.local_inputs if k in supplied)
        if by_input or (by_section and req.data_suffice):
            status, must_add = MET, ""
        elif by_section:
            status, must_add = PARTLY, req.must_add
        else:
            status, must_add = NOT_SUPPLIED, req.must_add
        law = tuple(part.replace(REGS, REGULATIONS[country]) for part in req.law)
        items.append(Item(req.key, req.title, law, status, by_section + by_input, must_add))
    unused = tuple(k for k in supplied if k not in LOCAL_INPUT_KEYS)
    return Checklist(tuple(items), country, unused)
