"""Every docstring example in the library runs and gives what it shows.

Examples that need files not in the repository (the real data, a parameters file of a real
area) are marked ``# doctest: +SKIP`` where they are written; everything else runs here.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import slp

MODULES = sorted(info.name for info in pkgutil.walk_packages(slp.__path__, prefix="slp."))
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    return [t for t in tests if t.examples]


WITH_EXAMPLES = [name for name in MODULES if _examples(name)]


def test_the_library_has_docstring_examples():
    # A finder that silently found nothing would make the test below pass vacuously.
    assert len(WITH_EXAMPLES) >= 10
    assert {"slp.periods", "slp.demo.tables"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    for test in _examples(name):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)  # prints only on failure
    assert results.failed == 0, "".join(report)
