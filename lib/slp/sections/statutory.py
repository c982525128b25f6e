"""The statutory checklist page (``07-statutory``): each requirement the law sets for a
strategic assessment, where this report meets it, and what the partnership must still write;
then the partnership's own local inputs that no other page shows (consultation, priorities,
the review of the previous plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slp import local, statutory
from slp.sections import _local, _statutory_words, changes
from slp.sections.blocks import Block, e, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "checklist", "local_inputs"]

#: The local inputs shown on this page, in the order of the requirements.
SHOWN_HERE = tuple(k for k in statutory.LOCAL_INPUT_KEYS if k not in _local.PAGE_OF)
SERIOUS_VIOLENCE_PAGE = "08-serious-violence.html"
#: How the checklist names the pages it links to.
PAGE_NAMES = {"00-summary": "Summary", "01-trends": "Crime trends", "05-ward-maps": "Ward maps",
              "07-statutory": "Statutory checklist", "08-serious-violence": "Serious violence",
              "09-asb": "Anti-social behaviour", "10-changes": "What changed"}
#: The country of a borough slp reads from the MPS files (London's 32 and the demo's).
COUNTRY = "England"


def country_of(a: Assessment) -> str:
    """Whose strategy regulations apply: "Wales" for a Welsh area (GSS code starting "W", e.g.
    Newport W06000022: SI 2007/3076), else "England" (SI 2007/1830)."""
    code = a.area_code or ""
    return "Wales" if code.upper().startswith("W") else COUNTRY


def sections_run(a: Assessment) -> dict[str, str]:
    """The statutory section keys this run's pages meet, as key -> link."""
    ran = {"summary": "00-summary.html", "categories": "00-summary.html",
           "trends": "01-trends.html",
           "serious_violence": f"{SERIOUS_VIOLENCE_PAGE}#serious-violence-profile",
           "substance_misuse": f"{SERIOUS_VIOLENCE_PAGE}#substance-misuse"}
    if a.street is not None and a.params.sources.lsoa_ward_lookup is not None:
        ran["asb"] = "09-asb.html"
    if changes.compared(a):
        ran["changes"] = "10-changes.html"
    if a.ward is not None:
        ran["wards"] = "05-ward-maps.html"
        if a.ward_boundaries is not None:
            ran["hotspots"] = "05-ward-maps.html"
    return ran


def _links(item: statutory.Item) -> str:
    if not item.met_by:
        return "None in this report"
    return "<br>".join(f'<a href="{e(h)}">{e(_label(h))}</a>' for h in dict.fromkeys(item.met_by))


def _label(href: str) -> str:
    """``"08-serious-violence.html#local-reoffending"`` -> ``"Serious violence page:
    Re-offending: partners' figures"``."""
    page, _, anchor = href.partition("#")
    stem = page.removesuffix(".html")
    words = PAGE_NAMES.get(stem, stem[3:].replace("-", " ").capitalize()) + " page"
    if anchor.startswith("local-"):
        return f"{words}: {local.TITLES[anchor[6:].replace('-', '_')]}"
    return f"{words}: {anchor.replace('-', ' ')}" if anchor else words


def _row(a: Assessment, item: statutory.Item, ran: dict[str, str],
         supplied: dict[str, str]) -> str:
    """One requirement: what it is, its law, status, links, what the report covers and what
    the partnership must still write (and where to name it in the parameters)."""
    req = next(r for r in statutory.REQUIREMENTS if r.key == item.key)
    from_data = any(s in ran for s in req.sections)
    inputs = [local.TITLES[k] for k in req.local_inputs if k in supplied]
    absent = [k for k in req.local_inputs if k not in supplied]
    source_missing = item.key in _statutory_words.SOURCES and not from_data
    covers = _statutory_words.checklist_covers(
        item.key, from_data, inputs, source_missing=source_missing,
        recomputed=item.key == "changes" and not changes.found_earlier(a), frame=a.frame)
    to_write = _statutory_words.checklist_to_write(
        item.key, item.status == statutory.MET, item.must_add, absent, source_missing)
    return (f'<tr><th scope="row">{e(item.title)}</th><td>{e("; ".join(item.law))}</td>'
            f'<td class="status">{e(item.status)}</td><td>{_links(item)}</td>'
            f"<td>{e(covers)}</td><td>{e(to_write)}</td></tr>")


def _to_write(check: statutory.Checklist) -> str:
    """The partnership's list of what it must still write, before the table."""
    todo = [i for i in check.items if i.status != statutory.MET]
    if not todo:
        return p("Nothing the law asks is missing from this report.")
    items = "".join(f"<li><strong>{e(i.title)}</strong> ({e(i.status)}): {e(i.must_add)}</li>"
                    for i in todo)
    return (f"<p>What the partnership must still write ({len(todo)}):</p>"
            f'<ul class="to-write">{items}</ul>')


def checklist(a: Assessment) -> Block:
    """Requirement by requirement: the law, its status, a link to where the report meets it,
    what the report covers there, and what the partnership must still write."""
    supplied = {k: _local.href(k) for k in a.params.local.keys}
    ran = sections_run(a)
    check = statutory.checklist(ran, supplied, country=country_of(a))
    statuses = [i.status for i in check.items]
    rows = "".join(_row(a, i, ran, supplied) for i in check.items)
    table = (
        '<div class="table-scroll" role="region" aria-label="Statutory checklist" tabindex="0">'
        '<table class="slp-table"><caption>What the law asks the strategic assessment to '
        f"cover, and where this report for {e(a.area_label)} covers it</caption><thead><tr>"
        '<th scope="col">Requirement</th><th scope="col">Law</th><th scope="col">Status</th>'
        '<th scope="col">Where this report meets it</th>'
        '<th scope="col">What this report covers</th>'
        '<th scope="col">What the partnership must still write</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>")
    words = [_statutory_words.checklist_sentence(statuses.count(statutory.MET),
                                          statuses.count(statutory.PARTLY),
                                          statuses.count(statutory.NOT_SUPPLIED), len(statuses))]
    if check.unused_inputs:
        words.append(f"Local inputs supplied but used by no requirement: "
                     f"{', '.join(check.unused_inputs)}.")
    return Block().add(*(p(w) for w in words), _to_write(check), table,
                       p(statutory_note(check.country)))


def statutory_note(country_name: str) -> str:
    return (f"Sources of law: {statutory.CDA} s.6; {statutory.REGULATIONS[country_name]}; "
            f"{statutory.PCSCA} (the Serious Violence Duty). \"Partly met\" means public data "
            "cover part of the requirement and the partnership's own input is still needed; "
            "\"not supplied: local input\" means the report cannot meet it from public data (or the "
            "public source is not configured) and the partnership must write it. A local input "
            "is a Markdown or CSV file the partnership writes, named in the parameters' local: "
            "block.")


def local_inputs(a: Assessment) -> Block:
    """The partnership's consultation findings, priorities, review of the previous plan and
    other inputs no other page shows, each rendered or listed as not supplied."""
    return Block().add(*(_local.block(a, key) for key in SHOWN_HERE))
