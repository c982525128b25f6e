"""The small HTML building blocks every section is made of: :class:`Block`, paragraphs, lists,
the plain statement that a source is missing, and the page title.

Everything a reader sees passes through :func:`html.escape` here or in :mod:`slp.tables`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slp import headline

if TYPE_CHECKING:
    from slp.assessment import Assessment

e = html.escape


@dataclass
class Block:
    """HTML parts shown together in a notebook output (``_repr_html_``)."""

    parts: list[str] = field(default_factory=list)

    def add(self, *parts: Any) -> Block:
        """Append parts (HTML strings, or objects with ``html()`` / ``_repr_html_()``);
        ``None`` is skipped."""
        for part in parts:
            if part is None:
                continue
            self.parts.append(part if isinstance(part, str) else markup(part))
        return self

    def html(self) -> str:
        return "\n".join(self.parts)

    def _repr_html_(self) -> str:
        return self.html()


def markup(obj: Any) -> str:
    """The HTML of a chart, map, table or block."""
    for attr in ("html", "_repr_html_"):
        if hasattr(obj, attr):
            return getattr(obj, attr)()
    return str(obj)


def p(text: str, cls: str | None = None) -> str:
    """One escaped paragraph."""
    return f'<p class="{cls}">{e(text)}</p>' if cls else f"<p>{e(text)}</p>"


def bullets(items: list[str], cls: str = "key-statements") -> str:
    """An escaped bullet list; empty items are left out."""
    return f'<ul class="{cls}">' + "".join(f"<li>{e(i)}</li>" for i in items if i) + "</ul>"


def heading(text: str, level: int = 3) -> str:
    return f"<h{level}>{e(text)}</h{level}>"


def missing_source(what: str, source: str, key: str, instead: str) -> str:
    """A plain statement that a source is not configured; never a made-up figure."""
    return (f'<div class="missing-source" role="note"><p><strong>No {e(source)} is configured '
            f"for this run</strong> (parameter <code>sources.{e(key)}</code>), so this section "
            f"shows no {e(what)} figures. {e(instead)}</p></div>")


def title(a: Assessment, name: str) -> Block:
    """The page's single ``<h1>`` and its opening line."""
    return Block().add(f"<h1>{e(name)}: {e(a.title_suffix)}</h1>", p(headline.lede(a), "lede"))
