"""environment.yml (conda users) lists the same packages and lower bounds as pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from support import ROOT

# pip extras that conda-forge ships as separate packages
EXPANDS = {"dask[distributed]": ["dask", "distributed"]}


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = list(meta["project"]["dependencies"])
    for group in meta["dependency-groups"].values():
        specs += group
    wanted = {}
    for spec in specs:
        name, bound = _split(spec)
        for real in EXPANDS.get(name, [name]):
            wanted[real] = bound
    return wanted


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or entry in ("pip",):
                continue
            name, bound = _split(entry)
            found[name] = bound
    found.pop("python", None)
    return found


def test_environment_lists_the_same_packages_as_pyproject():
    wanted, found = _pyproject(), _environment()
    assert sorted(set(wanted) - set(found)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(found) - set(wanted)) == [], "in environment.yml but not pyproject.toml"


def test_environment_lower_bounds_match_pyproject():
    wanted, found = _pyproject(), _environment()
    different = {n: (wanted[n], found[n]) for n in wanted if wanted[n] != found.get(n)}
    assert different == {}


def test_python_requirement_matches():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{meta['project']['requires-python']}" in env["dependencies"]
