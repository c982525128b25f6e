"""Local inputs: what the partnership writes itself (params ``local:`` block), rendered safely.

The law asks a strategic assessment for things no public data set holds: the views of people
living and working in the area, a review of the previous plan, the priorities chosen,
re-offending and substance-misuse figures from partners. The partnership writes each as a
Markdown (or plain text) or CSV file and names it in the params::

    local:
      consultation: params/local/residents-survey-2022.md
      priorities: params/local/priorities.md
      reoffending: params/local/proven-reoffending.csv

The keys are :data:`slp.statutory.LOCAL_INPUT_KEYS`. :func:`render` turns one file into
escaped, accessible HTML (a small safe subset of Markdown: headings, paragraphs, bulleted and
numbered lists, ``**bold**``; any HTML in the file is shown as text, never run). A CSV file
becomes a table with a caption. :func:`coverage` records every file (with its SHA-256 in the
manifest) so a reader can tell exactly which version of a partner's text the report printed.

Examples
--------
>>> print(markdown_html("# Survey\\n\\nResidents said:\\n\\n- more **lighting**\\n- <b>x</b>"))
<h3>Survey</h3>
<p>Residents said:</p>
<ul><li>more <strong>lighting</strong></li><li>&lt;b&gt;x&lt;/b&gt;</li></ul>
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from slp import tables
from slp.coverage import Coverage
from slp.errors import SourceError
from slp.params import Params

SOURCE = "Local inputs"
#: What each local input is, in words (the heading it is shown under).
TITLES = {
    "asb": "Anti-social behaviour: partners' records",
    "substance_misuse": "Substance misuse: partners' figures",
    "reoffending": "Re-offending: partners' figures",
    "serious_violence": "Serious violence: partners' needs assessment",
    "changes": "Changes since the previous assessment: the partnership's account",
    "priorities": "The partnership's priorities",
    "consultation": "What residents and people working in the area said",
    "previous_plan": "Review of the previous partnership plan",
}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def read_text(path: Path) -> str:
    """A local input file's text (UTF-8, with or without a BOM, or Windows-1252).

    Raises
    ------
    SourceError
        The file holds binary data.
    """
    data = Path(path).read_bytes()
    if b"\x00" in data[:65536]:
        raise SourceError(SOURCE, path, "is not a text file (found binary data); expected "
                                        "Markdown or CSV saved as text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # what Notepad and Excel save on Windows
        return data.decode("cp1252", errors="replace")


def _inline(text: str) -> str:
    """Escape one line, then allow bold and italic."""
    out = _BOLD.sub(r"<strong>\1</strong>", html.escape(text))
    return _ITALIC.sub(r"<em>\1</em>", out)


def markdown_html(text: str, top: int = 3) -> str:
    """A safe subset of Markdown as HTML: headings (``#`` becomes ``<h{top}>``, so a partner's
    headings sit under the page's own), paragraphs, ``-``/``*`` and ``1.`` lists, bold, italic.
    Everything else, HTML included, is escaped text."""
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal kind
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{_inline(i)}</li>" for i in items)
                       + f"</{kind}>")
            items.clear()
        kind = ""

    for line in text.splitlines():
        heading = _HEADING.match(line)
        listed = _BULLET.match(line) or _NUMBERED.match(line)
        if not line.strip() or heading:
            flush()
            if heading:
                level = min(6, top - 1 + len(heading.group(1)))
                out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif listed:
            this = "ul" if _BULLET.match(line) else "ol"
            if para or (kind and kind != this):
                flush()
            kind = this
            items.append(listed.group(1))
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # a list item carried on to the next line
        else:
            if items:
                flush()
            para.append(line.strip())
    flush()
    return "\n".join(out)


def csv_html(path: Path, caption: str) -> str:
    """A partner's CSV as an accessible table (the first column heads each row)."""
    from io import StringIO

    try:
        frame = pd.read_csv(StringIO(read_text(path)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(SOURCE, path, f"is not a readable CSV ({str(exc).strip()}); expected "
                                        "a header row and one row per line") from None
    table = tables.html_table(frame, caption, notes=[f"Supplied by the partnership: {path.name}."])
    return table.html()


def render(path: Path, title: str, *, top: int = 3) -> str:
    """One local input file as HTML: CSV as a table captioned ``title``, anything else as
    Markdown whose ``#`` headings become ``<h{top}>``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return csv_html(path, title)
    return markdown_html(read_text(path), top)


def coverage(params: Params) -> list[Coverage]:
    """The local inputs and the harm-weights file of a run, for the manifest (each file's
    SHA-256 is recorded there). Empty when none is configured.

    Raises
    ------
    SourceError
        The harm-weights file does not follow the documented layout.
    """
    found = []
    if params.local.files:
        given = ", ".join(f"{key}: {path.name}" for key, path in params.local.files)
        found.append(Coverage(source=SOURCE, format="Markdown or CSV written by the partnership",
                              files=[path for _, path in params.local.files],
                              areas=1, caveats=[f"local inputs supplied ({given})"]))
    if params.sources.harm_weights:
        from slp.sources.harm_weights import read_harm_weights

        found.append(read_harm_weights(params.sources.harm_weights).coverage)
    return found
