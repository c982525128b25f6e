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
#     section: Statutory checklist
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import statutory

a = assessment.prepare(params_file, prepared=prepared)

# %%
statutory.title(a, "Statutory checklist")

# %% [markdown]
# ## What the law asks, and where this report covers it
#
# Each requirement of a Community Safety Partnership's strategic assessment, the law that sets it, and a link to the page that meets it. Where public data cannot meet a requirement, the table says what the partnership must write.

# %%
statutory.checklist(a)

# %% [markdown]
# ## The partnership's own inputs
#
# What the partnership wrote itself, as supplied (named in the parameters' `local:` block), or the plain statement that it is not supplied.

# %%
statutory.local_inputs(a)
