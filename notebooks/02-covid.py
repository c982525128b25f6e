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
#     section: COVID-19 comparison
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import covid

a = assessment.prepare(params_file, prepared=prepared)

# %%
covid.title(a, "COVID-19 comparison")

# %% [markdown]
# ## The last 12 months against the 12 months before the pandemic
#
# All crime and each crime type against March 2019 to February 2020, the last full year before the first lockdown; each change is judged against the borough's own normal variation before the pandemic.

# %%
covid.pre_pandemic(a)

# %% [markdown]
# ## Monthly crime rate since January 2017
#
# The monthly crime rate per 1,000 residents for the borough, its comparators and the whole area it is compared with. Shaded bands mark the national lockdowns in England.

# %%
covid.covid_rates(a)

# %% [markdown]
# ## Crime against the level the 2017-2020 trend would have reached
#
# A model fitted on January 2017 to February 2020 (trend and seasonality) projects the level the 2017-2020 trend would have reached. It is a projection, not what crime should have been. The band is as wide as back-testing showed it must be to hold at least nine months in ten (trends fitted on three years and projected three years ahead, on the 32 boroughs of the Metropolitan Police files).

# %%
covid.expected_vs_observed(a)
