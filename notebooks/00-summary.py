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
from slp.sections import intros, summary

a = assessment.prepare(params_file, prepared=prepared)

# %%
summary.title(a, "Summary")

# %%
intros.intro(a, "summary.headline")

# %%
summary.headline(a)

# %%
intros.intro(a, "summary.ranking")

# %%
summary.borough_ranking(a)

# %%
intros.intro(a, "summary.funnel")

# %%
summary.funnel(a)

# %%
intros.intro(a, "summary.national")

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
