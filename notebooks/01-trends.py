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
#     section: Crime trends
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
from slp.sections import trends

a = assessment.prepare(
    params_file, borough=borough, period_end=period_end, comparators=comparators,
    audience=audience, sources=sources, disclosure=disclosure,
    map_categories=map_categories, title=title, published=published, prepared=prepared,
)

# %%
trends.title(a, "Crime trends")

# %% [markdown]
# ## Monthly crime
#
# Crimes recorded each month, with the 12-month rolling average that smooths out month-to-month noise.

# %%
trends.monthly_trend(a)

# %% [markdown]
# ## Seasonality and underlying trend
#
# The monthly series split into a long-run trend, a repeating seasonal pattern and what is left over (STL decomposition).

# %%
trends.seasonality(a)

# %% [markdown]
# ## Crime categories
#
# Each main category over the last 12 months against the previous 12, for the borough and for London.

# %%
trends.category_trends(a)

# %% [markdown]
# ## Largest increases and decreases
#
# The detailed (minor) categories whose counts changed most.

# %%
trends.largest_changes(a)

# %% [markdown]
# ## Neighbouring and comparator boroughs

# %%
trends.comparators(a)
