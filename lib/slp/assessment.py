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

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from slp import cache
from slp import params as params_mod
from slp import prepared as prepared_mod
from slp.boroughs import LONDON_BOROUGHS, is_demo_borough
from slp.coverage import Coverage
from slp.disclosure import DisclosureRule
from slp.errors import SlpError
from slp.frame import Frame
from slp.params import Params, project_root
from slp.periods import Window, parse_month

if TYPE_CHECKING:  # the loaders and geopandas are heavy: only the type checker needs them here
    import geopandas as gpd

    from slp.sources.borough import RecordedCrime
    from slp.sources.dashboard import DashboardCrime
    from slp.sources.national import NationalTables
    from slp.sources.outcomes import PoliceOutcomes
    from slp.sources.population import Population
    from slp.sources.street import StreetCrime
    from slp.sources.ward import WardCrime
    from slp.sources.ward_geography import WardLayer

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
    #: The borough's ward geography: its own boundaries, a best-fit dissolve of LSOAs, or
    #: none (``caveats`` says why); ``ward_boundaries`` is its ``frame``.
    ward_layer: WardLayer | None = None
    #: Best-fit against area-weighted ward populations (None when it cannot be estimated) and
    #: the sentence saying how ward populations were built and how uncertain they are.
    ward_population_check: pd.DataFrame | None = None
    ward_population_note: str | None = None
    #: The borough's LSOA polygons and residents, kept only when street-level data are
    #: configured: hot spots by LSOA (about 170 a borough) rather than by ward.
    lsoa_areas: gpd.GeoDataFrame | None = None
    lsoa_residents: pd.Series | None = None
    dashboard: DashboardCrime | None = None
    street: StreetCrime | None = None
    borough_boundaries: gpd.GeoDataFrame | None = None
    #: The ONS police recorded crime tables for England and Wales (``sources.national``),
    #: read only when configured: the frame of :attr:`national`.
    national_tables: NationalTables | None = None
    extra_coverage: list[Coverage] = field(default_factory=list)
    #: GSS codes of the areas in :attr:`crime` (a police.uk run fills it from the lookup).
    area_codes: dict[str, str] = field(default_factory=dict)
    #: Each police.uk crime with its last outcome (``sources.police_uk``'s outcomes files).
    outcomes: PoliceOutcomes | None = None

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
    def is_police_uk(self) -> bool:
        """Recorded crime built from data.police.uk street files (not the MPS files)."""
        return self.crime.classification == "police.uk"

    @property
    def frame(self) -> Frame:
        """The comparison frame: London's boroughs, or the authorities of the police force."""
        if self.is_police_uk and self.crime.force:
            return Frame.of_force(self.crime.force, self.london)
        return Frame.london(self.london)

    @property
    def area_code(self) -> str | None:
        """The area's GSS code (E09..., W06..., E06...), or None when unknown (the demo)."""
        return self.area_codes.get(self.borough) or LONDON_BOROUGHS.get(self.borough)

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

    @property
    def national(self) -> dict:
        """The area against England and Wales from the ONS tables
        (:func:`slp.national.national_block`): every figure null, and ``source`` null when no
        tables were given, ``period`` null when they do not cover the report's 12 months."""
        from slp.national import national_block

        code = self.area_code or self.borough
        return national_block(self.national_tables, self.window, code, name=self.borough)

    def coverages(self) -> list[Coverage]:
        """Coverage of every loaded source, for the provenance section and manifest."""
        found = [self.crime.coverage, self.population.coverage]
        for source in (self.ward, self.dashboard, self.street, self.outcomes):
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

    Recorded crime comes from the MPS borough files or, with ``sources.police_uk``, from a
    force's police.uk street files (:func:`slp.sources.police_uk.read_police_uk`; its
    authorities' GSS codes then fill ``area_codes``, and an LSOA population is summed to them
    through the lookup). Only the recorded crime and the population can fail a run for not
    covering the area;
    an optional source (ward crime, ward boundaries, dashboard, street files) that does not
    cover it is left for its section to say so plainly.

    Raises
    ------
    SlpError
        A source is unreadable; the borough, comparators or reporting period are not in it;
        London is incomplete in the months used (:func:`slp.sources.borough.check_complete`),
        or a police.uk month is missing (:func:`slp.sources.police_uk.check_months`);
        the ward file lacks some of the borough's wards (:func:`slp.sources.ward.check_wards`).
    """
    from slp.sources import borough, dashboard, police_uk, population, street
    from slp.sources import ward as ward_source

    folder = cache_dir or project_root() / "data" / "processed"
    s = params.sources

    def cached(fn, paths, **kwargs):
        return cache.cached(fn, paths, cache_dir=folder, **kwargs)

    if s.police_uk:
        crime = cached(police_uk.read_police_uk, list(s.police_uk), lookup=s.lsoa_ward_lookup)
    else:
        crime = cached(borough.read_borough_crime, list(s.borough_crime),
                       map_categories=params.map_categories)
    pop = cached(population.read_population, s.population)
    result = Assessment(params=params, crime=crime, population=pop)
    if result.is_police_uk:
        _police_uk_areas(result)
    _check_areas(result)
    end = result.period_end
    months = pd.period_range(end - (NEEDED_MONTHS - 1), end, freq="M")
    (police_uk.check_months if result.is_police_uk else borough.check_complete)(crime, months)
    # the cached tables first, then the files read directly (boundaries, the lookup)
    if s.ward_crime:
        result.ward = cached(ward_source.read_ward_crime, list(s.ward_crime),
                             map_categories=params.map_categories)
    elif s.police_uk:  # the force's crimes by ward of the lookup
        result.ward = cached(police_uk.read_police_uk_wards, list(s.police_uk),
                             lookup=s.lsoa_ward_lookup)
    lsoa_pop = (cached(population.read_population, s.ward_population)
                if s.ward_population and s.lsoa_ward_lookup else None)
    if s.dashboard:
        result.dashboard = cached(dashboard.read_dashboard, list(s.dashboard),
                                  mapping=s.dashboard_mapping)
    if s.street:
        result.street = cached(street.read_street, list(s.street), lookup=s.lsoa_ward_lookup)
    if s.police_uk:  # the outcomes files are optional: without them, no outcomes section
        from slp.sources import outcomes
        if outcomes.has_outcome_files(list(s.police_uk)):
            result.outcomes = outcomes.in_area(
                cached(outcomes.read_police_outcomes, list(s.police_uk)), result.frame.members)
    _load_wards(result, lsoa_pop)
    if s.borough_boundaries:
        from slp.sources import boundaries

        result.borough_boundaries = boundaries.read_boundaries(s.borough_boundaries)
    if s.national:
        _load_national(result, s.national)
    from slp import local  # the partnership's own files: provenance in the manifest

    result.extra_coverage.extend(local.coverage(params))
    return result


def _load_wards(result: Assessment, lsoa_pop: Population | None) -> None:
    """The ward layer, ward populations and their uncertainty, and the ward file's check.

    The borough's own ward boundaries are used where they cover it, else the best-fit
    dissolve of the LSOA boundaries (:func:`slp.sources.ward_geography.ward_layer`); a
    borough nothing covers gets no layer and the ward page says why.
    """
    from slp.sources import boundaries, population, ward_geography
    from slp.sources import ward as ward_source

    s = result.params.sources
    lookup = boundaries.read_lookup(s.lsoa_ward_lookup) if s.lsoa_ward_lookup else None
    if result.ward is not None and lookup is not None:
        ward_source.check_wards(result.ward, result.borough, lookup)
    if not (s.ward_boundaries or (s.lsoa_boundaries and lookup is not None)):
        return
    lsoas = boundaries.read_boundaries(s.lsoa_boundaries) if s.lsoa_boundaries else None
    layer = ward_geography.ward_layer(result.borough, own=s.ward_boundaries,
                                      lsoa_boundaries=lsoas, lookup=lookup)
    if layer.frame is not None:
        layer.frame = _own_wards(layer.frame, lookup, result.borough)
        shown = set(layer.caveats)
        layer.caveats += [c for c in layer.frame.attrs.get("caveats", []) if c not in shown]
    result.ward_layer, result.ward_boundaries = layer, layer.frame
    if lsoa_pop is None or lookup is None:
        return
    result.ward_population = population.ward_population(lsoa_pop, lookup)
    result.extra_coverage.append(lsoa_pop.coverage)
    if (s.street and lsoas is not None and lsoa_pop.by_lsoa is not None
            and "borough" in lookup.columns):
        inside = set(lookup.loc[lookup["borough"] == result.borough, "lsoa_code"])
        result.lsoa_areas = lsoas.loc[lsoas["code"].isin(inside)].reset_index(drop=True)
        result.lsoa_residents = lsoa_pop.by_lsoa.reindex(sorted(inside)).dropna()
    if layer.frame is not None:
        result.ward_population_check, result.ward_population_note = (
            ward_geography.ward_population_uncertainty(
                lsoa_pop, lookup, lsoas, layer,
                result.borough if result.is_police_uk else "this borough"))


@functools.lru_cache(maxsize=2)
def _national_tables(path: Path, stamp: float) -> NationalTables:
    """The ONS tables at ``path``, read once per modification time (a batch of boroughs reads
    the workbook once)."""
    from slp.sources.national import read_national

    del stamp  # part of the cache key only
    return read_national(path)


def _load_national(result: Assessment, path: Path) -> None:
    """Read the ONS tables, check that they hold the area (an unknown area fails the run here,
    not on the summary page) and record what was read."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    stamp = max((f.stat().st_mtime for f in files), default=0.0)
    tables = _national_tables(path, stamp)
    result.national_tables = tables
    result.national  # noqa: B018 - an area no CSP holds fails here, naming the closest
    ends = sorted(tables.areas["period_end"].astype(str).unique())
    result.extra_coverage.append(Coverage(
        source=tables.source, format="Community Safety Partnership, force, region and country "
        "tables", files=[f for f in files if not f.name.startswith((".", "~$"))],
        first_month=str(pd.Period(ends[0], "M") - 11) if ends else None,
        last_month=ends[-1] if ends else None,
        areas=int(tables.areas.loc[tables.areas["area_type"] == "CSP", "area_code"].nunique())))


def _own_wards(frame: gpd.GeoDataFrame, lookup: pd.DataFrame | None,
               borough: str) -> gpd.GeoDataFrame:
    """The wards of ``frame`` that the lookup places in ``borough`` (a file of several
    boroughs' wards, like the demo's, is cut to the borough's); all of them when the lookup
    names no borough or none of its codes."""
    if lookup is None or "borough" not in lookup.columns:
        return frame
    codes = set(lookup.loc[lookup["borough"] == borough, "ward_code"])
    inside = frame["code"].isin(codes)
    if not inside.any() or inside.all():
        return frame
    kept = frame.loc[inside].reset_index(drop=True)
    kept.attrs = dict(frame.attrs)
    return kept


def _police_uk_areas(a: Assessment) -> None:
    """A police.uk run's authorities: their GSS codes, and an LSOA population summed to them
    through the lookup."""
    from slp import authorities
    from slp.sources import boundaries, population

    lookup = a.params.sources.lsoa_ward_lookup
    known = authorities.read(lookup) if lookup else None
    codes = known.codes if known else {}
    a.area_codes = {name: codes[name] for name in a.london if codes.get(name)}
    if a.population.by_lsoa is not None and lookup:
        a.population = population.by_authority(a.population, boundaries.read_lookup(lookup))


def _crime_source(a: Assessment) -> tuple[str, str]:
    """The recorded-crime parameter and its files, as messages name them."""
    if a.is_police_uk:
        return "police_uk", ", ".join(p.name for p in a.params.sources.police_uk)
    return "borough_crime", ", ".join(p.name for p in a.crime.coverage.files)


def _not_covered(a: Assessment, role: str, name: str) -> SlpError:
    key, files = _crime_source(a)
    names = set(a.crime.data["borough"].unique())
    if not a.is_police_uk:
        return SlpError(f"borough_crime: the {role} '{name}' is not in {files} "
                        f"(found {len(names)} boroughs, e.g. {', '.join(sorted(names)[:3])})")
    stray = a.crime.unattributed
    n = int(stray.loc[stray["borough"] == name, "count"].sum())
    found = f"; they place only {n:,} of its crimes, over the border" if n else ""
    return SlpError(f"{key}: the {role} '{name}' is not one of {a.frame.members_phrase} "
                    f"({', '.join(a.frame.members)}) that {files} cover{found}; expected the "
                    "police.uk files of the force covering it")


def _check_areas(a: Assessment) -> None:
    data = a.crime.data
    key, files = _crime_source(a)
    names = set(data["borough"].unique())
    for role, name in [("area" if a.is_police_uk else "borough", a.borough)] + [
            ("comparator", c) for c in a.params.comparators]:
        if name not in names:
            raise _not_covered(a, role, name)
        if name not in a.residents.index:
            hint = ("; expected a file naming it, or an LSOA population file (summed to the "
                    "lookup's authorities)" if a.is_police_uk and a.population.by_lsoa is None
                    else "")
            raise SlpError(f"population: the {role} '{name}' has no population in "
                           f"{a.population.coverage.files[0].name}{hint}")
    months = data["month"]
    first, last = months.min(), months.max()
    end = a.period_end
    if end > last or end - (NEEDED_MONTHS - 1) < first:
        raise SlpError(
            f"period_end: {a.params.period_end} needs the {NEEDED_MONTHS} months "
            f"{end - (NEEDED_MONTHS - 1)} to {end}, but {key} ({files}) covers "
            f"{first} to {last}"
        )
