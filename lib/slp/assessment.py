"""Everything one assessment needs, loaded and checked once: :func:`load` and :func:`prepare`.

An :class:`Assessment` holds the validated parameters, every configured source (harmonised by
the loaders in :mod:`slp.sources`, through the Parquet cache), and the facts the pages share:
whether the data are the synthetic demo, the population source, the disclosure rule.

``slp run`` loads the assessment once per run and stores it (:mod:`slp.prepared`); each
notebook receives the file as its ``prepared`` parameter and :func:`prepare` reads it back
instead of hashing and loading every input again. The runner starts the notebooks before the
file is written (their kernels start and import while it loads): a ``.pending`` marker beside
the file makes :func:`prepare` wait while it is there. A notebook run on its own (plain papermill, JupyterLab) has no such file and loads the
inputs itself: the result is the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from slp import cache
from slp import params as params_mod
from slp import prepared as prepared_mod
from slp.boroughs import is_demo_borough
from slp.coverage import Coverage
from slp.disclosure import DisclosureRule
from slp.errors import SlpError
from slp.params import Params, project_root
from slp.periods import Window, parse_month

if TYPE_CHECKING:  # the loaders and geopandas are heavy: only the type checker needs them here
    import geopandas as gpd

    from slp.sources.borough import RecordedCrime
    from slp.sources.dashboard import DashboardCrime
    from slp.sources.population import Population
    from slp.sources.street import StreetCrime
    from slp.sources.ward import WardCrime

#: Months of history a run needs before period_end: two 12-month windows.
NEEDED_MONTHS = 24


@dataclass
class Assessment:
    """The loaded inputs of one run. Optional sources are ``None`` when not configured."""

    params: Params
    crime: RecordedCrime
    population: Population
    ward: WardCrime | None = None
    ward_population: pd.Series | None = None  # residents per ward code
    ward_boundaries: gpd.GeoDataFrame | None = None  # columns code, name, geometry
    dashboard: DashboardCrime | None = None
    street: StreetCrime | None = None
    borough_boundaries: gpd.GeoDataFrame | None = None
    extra_coverage: list[Coverage] = field(default_factory=list)

    @property
    def borough(self) -> str:
        return self.params.borough

    @property
    def period_end(self) -> pd.Period:
        return parse_month(self.params.period_end)

    @property
    def window(self) -> Window:
        """The 12 months ending at ``period_end``."""
        end = self.period_end
        return Window(end - 11, end)

    @property
    def london(self) -> list[str]:
        """The boroughs that make up "London" in this data (32 for the MPS files)."""
        return sorted(self.crime.data["borough"].unique())

    @property
    def is_demo(self) -> bool:
        return is_demo_borough(self.borough)

    @property
    def population_label(self) -> str:
        return self.population.label

    @property
    def residents(self) -> pd.Series:
        """Residents per borough (the population source named in the report)."""
        return self.population.by_area

    @property
    def rule(self) -> DisclosureRule:
        """The disclosure rule of the run's audience and thresholds."""
        return DisclosureRule.from_params(self.params)

    @property
    def area_label(self) -> str:
        return f"{self.borough} (synthetic demo)" if self.is_demo else self.borough

    @property
    def title_suffix(self) -> str:
        return f"{self.area_label}, 12 months to {self.period_end.strftime('%B %Y')}"

    def coverages(self) -> list[Coverage]:
        """Coverage of every loaded source, for the provenance section and manifest."""
        found = [self.crime.coverage, self.population.coverage]
        for source in (self.ward, self.dashboard, self.street):
            if source is not None:
                found.append(source.coverage)
        return found + list(self.extra_coverage)


def prepare(params_file: str | None = None, *, prepared: str | os.PathLike | None = None,
            **overrides: Any) -> Assessment:
    """Load an assessment for a notebook: its parameters file (plus any values given to
    override it).

    Parameters
    ----------
    params_file : str, optional
        The parameters file.
    prepared : str or PathLike, optional
        A file written by :func:`slp.prepared.save` for this run (``slp run`` passes it beside
        the resolved parameters file it wrote). Used only when it was saved for a parameters
        file with exactly this text, by this slp code, and nothing overrides the file: then
        not even the parameters are read again. Otherwise the inputs are loaded as usual.
    **overrides
        Parameter values replacing the file's (``None`` means "not given").

    Returns
    -------
    Assessment
        The validated parameters and every configured source, loaded.

    Examples
    --------
    >>> a = prepare("params/demo.yaml")  # doctest: +SKIP
    >>> a.borough, str(a.window)  # doctest: +SKIP
    ('Wexbridge', 'October 2025 to September 2026')
    """
    given = any(v is not None for v in overrides.values())
    if prepared and params_file and not given:
        found = prepared_mod.read(prepared, params_file=params_file,
                                  wait=prepared_mod.WAIT_SECONDS)
        if found is not None:
            return found
    return load(params_mod.resolve(params_file, **overrides))


def load(params: Params, *, cache_dir: Path | None = None) -> Assessment:
    """Read, validate and harmonise every configured source (through the cache).

    Raises
    ------
    SlpError
        A source is unreadable, or the borough, comparators or reporting period are not in it.
    """
    from slp.sources import borough, boundaries, dashboard, population, street, ward

    folder = cache_dir or project_root() / "data" / "processed"
    s = params.sources

    def cached(fn, paths, **kwargs):
        return cache.cached(fn, paths, cache_dir=folder, **kwargs)

    crime = cached(borough.read_borough_crime, list(s.borough_crime),
                   map_categories=params.map_categories)
    pop = cached(population.read_population, s.population)
    result = Assessment(params=params, crime=crime, population=pop)
    _check_areas(result)
    # the cached tables first, then the files read directly (boundaries, the lookup)
    if s.ward_crime:
        result.ward = cached(ward.read_ward_crime, list(s.ward_crime),
                             map_categories=params.map_categories)
    lsoa_pop = (cached(population.read_population, s.ward_population)
                if s.ward_population and s.lsoa_ward_lookup else None)
    if s.dashboard:
        result.dashboard = cached(dashboard.read_dashboard, list(s.dashboard),
                                  mapping=s.dashboard_mapping)
    if s.street:
        result.street = cached(street.read_street, list(s.street), lookup=s.lsoa_ward_lookup)
    if s.ward_boundaries:
        result.ward_boundaries = boundaries.read_boundaries(s.ward_boundaries)
    if lsoa_pop is not None:
        lookup = boundaries.read_lookup(s.lsoa_ward_lookup)
        result.ward_population = population.ward_population(lsoa_pop, lookup)
        result.extra_coverage.append(lsoa_pop.coverage)
    if s.borough_boundaries:
        result.borough_boundaries = boundaries.read_boundaries(s.borough_boundaries)
    from slp import local  # the partnership's own files: provenance in the manifest

    result.extra_coverage.extend(local.coverage(params))
    return result


def _check_areas(a: Assessment) -> None:
    data = a.crime.data
    names = set(data["borough"].unique())
    files = ", ".join(p.name for p in a.crime.coverage.files)
    for role, name in [("borough", a.borough)] + [("comparator", c) for c in a.params.comparators]:
        if name not in names:
            raise SlpError(f"borough_crime: the {role} '{name}' is not in {files} "
                           f"(found {len(names)} boroughs, e.g. {', '.join(sorted(names)[:3])})")
        if name not in a.residents.index:
            raise SlpError(f"population: the {role} '{name}' has no population in "
                           f"{a.population.coverage.files[0].name}")
    months = data["month"]
    first, last = months.min(), months.max()
    end = a.period_end
    if end > last or end - (NEEDED_MONTHS - 1) < first:
        raise SlpError(
            f"period_end: {a.params.period_end} needs the {NEEDED_MONTHS} months "
            f"{end - (NEEDED_MONTHS - 1)} to {end}, but borough_crime ({files}) covers "
            f"{first} to {last}"
        )
