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
#     section: Ward maps
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
from slp.sections import ward_maps

a = assessment.prepare(
    params_file, borough=borough, period_end=period_end, comparators=comparators,
    audience=audience, sources=sources, disclosure=disclosure,
    map_categories=map_categories, title=title, published=published, prepared=prepared,
)

# %%
ward_maps.title(a, "Ward maps")

# %% [markdown]
# ## Crime rate by ward
#
# Crimes per 1,000 residents in each ward over the last 12 months.

# %%
ward_maps.ward_rates(a)

# %% [markdown]
# ## Change by ward
#
# The change in each ward's count against the previous 12 months.

# %%
ward_maps.ward_change(a)

# %% [markdown]
# ## Hotspots
#
# Getis-Ord Gi* finds wards whose rate, together with their neighbours', is higher (hot spot) or lower (cold spot) than chance would explain, after a correction for testing many wards at once.

# %%
ward_maps.hotspots(a)

# %% [markdown]
# ## Explore the wards
#
# Move over or tab to a ward to see its figures. The table below the map holds the same numbers.

# %%
ward_maps.interactive_ward_map(a)
