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
from slp.sections import covid, intros

a = assessment.prepare(params_file, prepared=prepared)

# %%
covid.title(a, "COVID-19 comparison")

# %%
intros.intro(a, "covid.pre_pandemic")

# %%
covid.pre_pandemic(a)

# %%
intros.intro(a, "covid.rates")

# %%
covid.covid_rates(a)

# %%
intros.intro(a, "covid.expected")

# %%
covid.expected_vs_observed(a)
