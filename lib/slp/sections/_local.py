"""The partnership's local inputs as the pages show them: where each one is rendered, the
rendered block with its anchor, and the plain "not supplied" statement when it is absent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slp import local, statutory
from slp.sections.blocks import e

if TYPE_CHECKING:
    from slp.assessment import Assessment

#: The page each local input is rendered on (the others go on the statutory page).
PAGE_OF = {"serious_violence": "08-serious-violence", "substance_misuse": "08-serious-violence",
           "reoffending": "08-serious-violence", "asb": "09-asb",
           "changes": "10-changes"}
STATUTORY_PAGE = "07-statutory"


def anchor_id(key: str) -> str:
    """The HTML id a local input is rendered under, e.g. ``"local-previous-plan"``."""
    return "local-" + key.replace("_", "-")


def href(key: str) -> str:
    """Where the report shows local input ``key``, e.g. ``"07-statutory.html#local-priorities"``."""
    return f"{PAGE_OF.get(key, STATUTORY_PAGE)}.html#{anchor_id(key)}"


def must_add(key: str) -> str:
    """What the partnership must write for ``key`` (from the statutory requirements)."""
    return next((r.must_add for r in statutory.REQUIREMENTS if key in r.local_inputs), "")


def block(a: Assessment, key: str) -> str:
    """Local input ``key`` rendered under its heading, or the statement that it is absent."""
    title = local.TITLES[key]
    path = a.params.local.get(key)
    if path is None:
        return (f'<section id="{anchor_id(key)}" class="local-input missing-source" '
                f'role="note"><h3>{e(title)}</h3><p><strong>Not supplied: local input.</strong> '
                f"The partnership has not named a file for this (parameter "
                f"<code>local.{e(key)}</code>). It must add: {e(must_add(key))}.</p></section>")
    return (f'<section id="{anchor_id(key)}" class="local-input"><h3>{e(title)}</h3>'
            f"{local.render(path, title, top=4)}"
            f'<p class="source-note">Written by the partnership, not computed by slp: '
            f"{e(path.name)} (its SHA-256 is in manifest.json).</p></section>")
