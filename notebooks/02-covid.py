# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   slp:
#     section: COVID-19 comparison
# ---

# %% tags=["parameters"]
from typing import Optional

params_file: str = "params/demo.yaml"  # parameters file, relative to the project root
borough: Optional[str] = None  # overrides the file's borough, e.g. "Lewisham"
period_end: Optional[str] = None  # overrides the last month of the reporting period, YYYY-MM
comparators: Optional[list] = None  # overrides the comparator boroughs
audience: Optional[str] = None  # "public" (small counts suppressed) or "internal"
sources: Optional[dict] = None  # input files; set by `papermill -f params/X.yaml`
disclosure: Optional[dict] = None  # suppression thresholds; set by `papermill -f`
map_categories: Optional[bool] = None  # allow mixing old and new MPS classifications
title: Optional[str] = None  # optional report title
published: Optional[dict] = None  # figures printed earlier, to compare with; set by `papermill -f`
prepared: Optional[str] = None  # set by `slp run`: the inputs loaded once for the whole run; leave None

# %%
from slp import assessment
from slp.sections import covid

a = assessment.prepare(
    params_file, borough=borough, period_end=period_end, comparators=comparators,
    audience=audience, sources=sources, disclosure=disclosure,
    map_categories=map_categories, title=title, published=published, prepared=prepared,
)

# %%
covid.title(a, "COVID-19 comparison")

# %% [markdown]
# ## Monthly crime rate since January 2017
#
# The monthly crime rate per 1,000 residents for the borough, its comparators and London. Shaded bands mark the national lockdowns in England.

# %%
covid.covid_rates(a)

# %% [markdown]
# ## Crime against the pre-pandemic pattern
#
# A model fitted on January 2017 to February 2020 (trend and seasonality) projects what crime would have been without the pandemic. The band is the 95% prediction interval.

# %%
covid.expected_vs_observed(a)

# %% [markdown]
# ## Crime types against pre-pandemic levels

# %%
covid.pre_pandemic(a)
