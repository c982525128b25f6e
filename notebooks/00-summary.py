# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: slp
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   slp:
#     section: Summary
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import summary

a = assessment.prepare(params_file, prepared=prepared)

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
# ## How the borough compares with England and Wales
#
# The borough's police recorded crime rate beside England's (or Wales'), England and Wales', its region's and its police force area's, from the ONS police recorded crime tables where they cover this report's 12 months.

# %%
summary.national(a)

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
