"""Sphinx configuration: slp's API reference, built offline from the docstrings.

``make docs`` builds it into ``docs/_build/html``; ``tests/test_docs.py`` builds it with ``-W``
(warnings are errors). Docstrings are numpydoc (``numpydoc`` extension); nothing is fetched
from the network (no intersphinx, no remote theme).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

import slp  # noqa: E402

project = "slp"
author = "the slp contributors"
copyright = "the slp contributors, MIT licence"  # noqa: A001
version = release = slp.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "numpydoc"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []
html_title = f"slp {release}: API reference"

autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections carry the types
autodoc_default_options = {"members": True, "show-inheritance": True}
numpydoc_show_class_members = False  # autodoc lists members; no autosummary stubs
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
suppress_warnings = ["duplicate_declaration"]

#: Modules left out of the reference, with the reason (tests/test_docs.py checks that every
#: other module of the package has an ``automodule`` page).
NOT_DOCUMENTED = {
    "slp.chart_data": "internal helper of slp.charts (checks and suppresses chart data)",
    "slp.chart_text": "internal helper of slp.charts (alt text and month labels)",
    "slp.drawing": "internal helper of slp.charts (the matplotlib drawing)",
    "slp.mapdata": "internal helper of slp.maps (joins and checks map data)",
    "slp.svgmap": "internal helper of slp.maps (writes the SVG map)",
    "slp.demo.*": "the demo generator's writers; slp.demo documents the package and write_demo",
}
