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
#     section: Summary
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
from slp.sections import summary

a = assessment.prepare(
    params_file, borough=borough, period_end=period_end, comparators=comparators,
    audience=audience, sources=sources, disclosure=disclosure,
    map_categories=map_categories, title=title, published=published, prepared=prepared,
)

# %%
summary.title(a, "Summary")

# %% [markdown]
# ## Headline figures
#
# The number of crimes recorded in the last 12, 6 and 3 months, the crime rate per 1,000 residents, and the change against the previous period of the same length, beside the same change across London.

# %%
summary.headline(a)

# %% [markdown]
# ## How the borough compares with London
#
# Every London borough's crime rate over the last 12 months. Rank 1 is the highest rate.

# %%
summary.borough_ranking(a)

# %% [markdown]
# ## Is the borough's rate unusual?
#
# A funnel plot shows each borough's rate against its population. Boroughs outside the funnel have rates that differ from London's by more than chance would explain.

# %%
summary.funnel(a)

# %% [markdown]
# ## Crime types
#
# The main crime categories over the last 12 months, largest first, with the change against the previous 12 months.

# %%
summary.crime_types(a)

# %% [markdown]
# ## About the data

# %%
summary.data_notes(a)
