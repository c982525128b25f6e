# slp: two commands for a newcomer -- `make report` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/raw/demo
PARAMS ?= params/demo.yaml
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help env demo report test lint bench notebooks docs lock clean distclean

help: ## list every target with a one-line description
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --compile-bytecode: ~20 s once; every kernel then imports its libraries about twice as fast
# (nothing writes bytecode later when PYTHONDONTWRITEBYTECODE is set, as on the CI machines).
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	@$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --quiet
	@touch $@

env: $(VENV)/.installed ## create .venv with the locked dependencies (reused when up to date)

$(DEMO)/README.md: $(VENV)/.installed $(wildcard lib/slp/demo/*.py lib/slp/demo/data/*)
	@$(BIN)/slp demo --out $(DEMO) >/dev/null

demo: $(DEMO)/README.md ## generate the synthetic demo borough's data into data/raw/demo

report: env demo ## run the whole assessment for PARAMS (default params/demo.yaml) and print the index path
	@$(BIN)/slp run $(PARAMS)

test: env demo ## run the full test suite: doctests, nbval and the layer contract included (real-data tests skip outside CI when ../shared/data is absent)
	@$(BIN)/pytest

lint: env ## ruff (lint, import order, function size) and the import-linter layer contract
	@$(BIN)/ruff check lib tests bench notebooks
	@$(BIN)/lint-imports --no-cache --no-logo

bench: env demo ## run the benchmarks and write bench/results/
	@$(BIN)/python bench/run_all.py

notebooks: env ## re-pair notebooks/*.py (jupytext percent, the source) with notebooks/*.ipynb
	@$(BIN)/jupytext --sync notebooks/*.py

docs: env ## build the API reference from the docstrings into docs/_build/html (offline; warnings are errors)
	@$(BIN)/sphinx-build -W --keep-going -q -b html -d docs/_build/doctrees docs docs/_build/html
	@echo docs/_build/html/index.html

lock: $(UV) ## re-resolve uv.lock after editing pyproject.toml
	@$(UV) lock --python $(PYTHON)

clean: ## delete outputs (reports/, data/processed/); they are rebuilt from inputs
	@find reports data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +

distclean: clean ## also delete .venv, .tools and the demo data
	@rm -rf $(VENV) $(TOOLS) $(DEMO)
