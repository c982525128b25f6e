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
#     section: Crime trends
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import intros, outcomes, trends

a = assessment.prepare(params_file, prepared=prepared)

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

# %%
intros.intro(a, "trends.categories")

# %%
trends.category_trends(a)

# %% [markdown]
# ## Largest increases and decreases
#
# The detailed (minor) categories whose counts changed most.

# %%
trends.largest_changes(a)

# %%
intros.intro(a, "trends.comparators")

# %%
trends.comparators(a)

# %%
outcomes.last_outcomes(a)  # police.uk runs: what happened to the crimes (absent otherwise)
