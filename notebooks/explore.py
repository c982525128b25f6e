# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Explore an assessment: ask the next question
#
# The report's notebooks (`00-summary` ... `05-ward-maps`) answer the questions every
# strategic assessment asks. This notebook is for the analyst's *next* question, asked of the
# same prepared data. It is **not part of the report**: `slp run` runs only the numbered
# notebooks. Every call below is a public `slp` function, documented in the API reference
# (`make docs`, then `docs/_build/html/index.html`).
#
# **Disclosure:** the tables here are not disclosure-controlled (small counts are shown as
# they are). Do not publish them; publish through `slp run`, which applies the report's rule.

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root

# %% [markdown]
# ## Load the assessment
#
# `assessment.prepare` reads and checks the parameters file and loads every source it names,
# exactly as the report does (through the same cache). `a.crime.data` is recorded crime in
# long form: one row per borough, category and month.

# %%
import pandas as pd

from slp import assessment, charts, measures, variation, wards
from slp.periods import Window

a = assessment.prepare(params_file)
crime = a.crime.data
print(a.borough, a.window, "comparators:", ", ".join(a.params.comparators))

# %% [markdown]
# ## A category's monthly series, for the borough and London
#
# `measures.monthly_counts` gives crimes per month for one area (or `"London"`, every
# borough) and optionally one major or minor category. The category names are those in the
# data: `sorted(crime["major"].unique())` lists them.

# %%
category = "Theft"  # a major category as named in the data
series = pd.DataFrame({
    a.borough: measures.monthly_counts(crime, a.borough, major=category),
    "London": measures.monthly_counts(crime, "London", major=category),
})
series.tail(12)

# %% [markdown]
# ## A ward's trend
#
# `wards.ward_counts` gives every ward's count, residents and rate in a window; pick a ward
# (here the highest rate) and ask `measures.monthly_counts` for its months, naming the ward
# code column.

# %%
ward_table = wards.ward_counts(a.ward.data, a.borough, a.window, a.ward_population)
ward_table = ward_table.sort_values("rate_per_1000", ascending=False, ignore_index=True)
ward = ward_table.iloc[0]
ward_series = measures.monthly_counts(a.ward.data, ward["ward_code"], area_column="ward_code")
print(ward["ward_name"], ward["ward_code"])
ward_series.tail(12)

# %% [markdown]
# ## The same measure for another borough
#
# The same call with another borough's name; `measures.rates_in_window` puts every
# borough's rate per 1,000 residents and rank for the category side by side.

# %%
other = a.params.comparators[0]
series[other] = measures.monthly_counts(crime, other, major=category)
ranks = measures.rates_in_window(crime, a.residents, a.window, major=category)
ranks[ranks["area"].isin([a.borough, other])]

# %% [markdown]
# ## A custom window
#
# A `Window` is any run of whole months, e.g. the six months ending three months before the
# period end; the measures take it wherever they take the report's 12 months.

# %%
window = Window.ending(a.period_end - 3, 6)
custom = measures.rates_in_window(crime, a.residents, window, major=category)
print(window)
custom[custom["area"] == a.borough]

# %% [markdown]
# ## Is a change unusual? The verdict for any change
#
# `variation.judge_change` compares the change in a monthly series (here the last 6 months
# against the 6 before) with the area's own normal year-to-year variation, and
# `variation.describe_verdict` says it in words. Recorded crime is shaped by recording and
# reporting as well as crime: a change is "unusual" only against this normal variation.

# %%
verdict = variation.judge_change(series[a.borough], a.period_end, months=6)
print(verdict.verdict, f"{verdict.change_pct:+.1f}%")
variation.describe_verdict(verdict, a.borough)

# %%
ward_verdict = variation.judge_change(ward_series, a.period_end, months=12)
variation.describe_verdict(ward_verdict, ward["ward_name"])

# %% [markdown]
# ## A quick chart in the house style
#
# `charts.line_chart` draws monthly series with the report's colours, alt text and data
# table; passing `rule=a.rule` applies the report's disclosure rule to the counts.

# %%
charts.line_chart(
    series.reset_index(), "month", [a.borough, other], title=f"{category} by month",
    y_label="Crimes", period_label=f"{series.index[0]:%B %Y} to {series.index[-1]:%B %Y}",
    rule=a.rule,
)
