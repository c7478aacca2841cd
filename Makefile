# The compendium's two commands:
#   make book   install into .venv (if needed) and build the HTML book into _build/html
#   make test   install into .venv (if needed) and run every test, nbval included
# Everything is installed from requirements.lock into a local virtual environment.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  := $(BIN)/python
STAMP   := $(VENV)/.installed
# Python 3.11 is required: prefer python3.11, fall back to python3 if it is 3.11.
PY311   ?= $(shell command -v python3.11 || command -v python3)
JOBS    ?= 2
# One test file per worker at a time (nbval's cells and module fixtures stay together), in the
# order tests/conftest.py gives: the longest files first, so no worker is left with a long file
# at the end while the other idles (xdist's own reorder is by number of tests, not time).
DIST    := --dist loadfile --no-loadscope-reorder
export PATH := $(abspath $(BIN)):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Builds and tests write nothing outside _build/, runs/, .venv and this cache (git-ignored):
# matplotlib's font cache, IPython's profile, Jupyter's kernel connection files, bytecode.
# Bytecode: with a PYTHONPYCACHEPREFIX, Python reads .pyc files only from there (not the ones pip
# wrote beside the packages), so they must be written there: an inherited PYTHONDONTWRITEBYTECODE=1
# would have every process, each kernel and test included, compile all it imports again (about
# 8 s for pandas, scipy, statsmodels and matplotlib). The empty value switches it off.
CACHE     := $(CURDIR)/.cache
RUN_ENV   := MPLCONFIGDIR=$(CACHE)/matplotlib IPYTHONDIR=$(CACHE)/ipython \
             JUPYTER_RUNTIME_DIR=$(CACHE)/jupyter/runtime PYTHONPYCACHEPREFIX=$(CACHE)/pycache \
             PYTHONDONTWRITEBYTECODE= XDG_CACHE_HOME=$(CACHE)

.PHONY: help install book pdf test test-fast test-latest lint format hooks notebooks browser lock bench lab clean

help:
	@echo "make book   build the HTML book into _build/html (installs into .venv first)"
	@echo "make test   unit tests, nbval (strict) over notebooks/, and the book build test"
	@echo "make notebooks  re-execute the committed notebooks in place (after changing helpers)"
	@echo "make lint   ruff (lint and format check) and mypy, as make test runs them"
	@echo "make format reformat the code (ruff format) and apply ruff's safe fixes"
	@echo "make hooks  install the git hooks (pre-commit) and nbdime's notebook diff and merge drivers"
	@echo "make lock   re-resolve requirements.in into requirements.lock and environment.yml"
	@echo "make bench  every benchmark: book build and test timings, sweep speed, power simulation speed, run pages"
	@echo "make test-latest  the whole suite with the newest releases requirements.in allows (.venv-latest; drift check)"
	@echo "make pdf    the PDF edition: the whole book in one PDF, printed by Debian's chromium"
	@echo "make lab    JupyterLab on the compendium (notebooks/ read-only, runs/), .venv as the kernel (Ctrl-C to stop)"

# The kernels Jupyter starts from a virtual environment read its etc/ipython/ipython_kernel_config.py:
# tools/ipython_kernel_config.py, which keeps ipykernel's notice about its local transport out of every
# log (make book, make pdf, make test, make lab, compendium run).
KERNEL_CONFIG := etc/ipython/ipython_kernel_config.py
%/$(KERNEL_CONFIG): tools/ipython_kernel_config.py
	@mkdir -p $(@D) && cp $< $@

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PYTHON) || { \
	  $(PY311) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	    || { echo "Python 3.11 is required (found: $$($(PY311) --version 2>&1))"; exit 1; }; \
	  $(PY311) -m venv $(VENV); }
	$(PYTHON) -m pip install --quiet --upgrade "pip>=23.2"
	$(PYTHON) -m pip install --quiet -r requirements.lock
	$(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP) $(VENV)/$(KERNEL_CONFIG)

# The book is rebuilt in full (--all: an incremental Sphinx build keeps stale glued numbers)
# whenever anything it is built from changed; with nothing changed there is nothing to redo.
# FORCE=1 rebuilds anyway.
book: $(STAMP) $(VENV)/$(KERNEL_CONFIG)
	@if [ -z "$(FORCE)" ] && $(PYTHON) tools/cache_guard.py --up-to-date; then \
	  echo "The book is up to date: nothing it is built from has changed since the last build (FORCE=1 to rebuild)."; \
	else \
	  $(PYTHON) tools/cache_guard.py && rm -rf _build/html && \
	  $(RUN_ENV) $(BIN)/jupyter-book build . --all --builder html && \
	  $(PYTHON) tools/cache_guard.py --record; \
	fi
	@echo "The book: $(abspath _build/html/index.html)"

# The PDF edition: the whole book built as one HTML page (the same executed notebooks and glued
# numbers as `make book`), laid out for paper and printed to one PDF by Debian's chromium
# (tools/pdf.py: a contents page with each chapter's page, page numbers, the chapters as bookmarks,
# tables as lists or on landscape pages; no browser is downloaded).
PDF := _build/pdf/social-work-evidence-compendium.pdf
# BOOK_CONFIG=FILE builds from another configuration (the PDF test renders the committed outputs).
pdf: $(STAMP) $(VENV)/$(KERNEL_CONFIG) browser
	$(PYTHON) tools/cache_guard.py && rm -rf _build/singlehtml && \
	  $(RUN_ENV) $(BIN)/jupyter-book build . --all --builder singlehtml $(if $(BOOK_CONFIG),--config $(BOOK_CONFIG))
	$(RUN_ENV) $(PYTHON) tools/pdf.py _build/singlehtml/book/intro.html $(PDF)

test: $(STAMP) $(VENV)/$(KERNEL_CONFIG) browser
	$(RUN_ENV) $(PYTHON) -m pytest -n $(JOBS) $(DIST) \
	  --nbval \
	  tests notebooks

# What tests/test_lint.py checks in `make test`, on its own: lint, format, types (pyproject.toml).
LINTED := src tests tools benchmarks book/_ext notebooks
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(RUN_ENV) $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

# For developing: `git commit` runs .pre-commit-config.yaml's hooks (ruff, mypy: the pinned tools
# in .venv, nothing downloaded), and `git diff`/`git merge` of a notebook go through nbdime
# (cells and outputs, not JSON lines; .gitattributes names the drivers, this configures them).
hooks: $(STAMP)
	$(BIN)/pre-commit install
	$(BIN)/nbdime config-git --enable

# Unit tests only (no notebooks, no book build): quick feedback while developing.
test-fast: $(STAMP) $(VENV)/$(KERNEL_CONFIG)
	$(RUN_ENV) $(PYTHON) -m pytest -n $(JOBS) $(DIST) -m "not book" tests

# Drift check (not part of `make test`): the newest releases that requirements.in allows,
# installed into a separate environment, then the same suite as `make test`. What changed
# against the lock is written to _build/latest/versions.txt and printed.
LATEST := .venv-latest
test-latest: browser
	@test -x $(LATEST)/bin/python || $(PY311) -m venv $(LATEST)
	@$(MAKE) --no-print-directory $(LATEST)/$(KERNEL_CONFIG)
	$(LATEST)/bin/python -m pip install --quiet --upgrade "pip>=23.2"
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements.in
	$(LATEST)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@mkdir -p _build/latest
	@$(LATEST)/bin/python tools/version_drift.py requirements.lock > _build/latest/versions.txt; cat _build/latest/versions.txt
	COMPENDIUM_LATEST=1 PATH=$(abspath $(LATEST))/bin:$$PATH $(RUN_ENV) $(LATEST)/bin/python -m pytest -n $(JOBS) $(DIST) \
	  --nbval tests notebooks

notebooks: $(STAMP) $(VENV)/$(KERNEL_CONFIG)
	COMPENDIUM_JOBS=$(JOBS) $(RUN_ENV) $(PYTHON) tools/execute_notebooks.py notebooks/*.ipynb

# The browser test drives Debian's chromium. Install it when it is missing and we may install
# system packages (root with apt-get, as in CI); otherwise the test says how to install it.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium for the browser test (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed: the browser test will be skipped (install it with: sudo apt-get install chromium)"; fi

lock:
	@test -x $(PYTHON) || $(PY311) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host --allow-unsafe --output-file requirements.lock requirements.in
	$(PYTHON) tools/sync_environment.py

# Every benchmark (each checks its targets and exits non-zero if one is missed):
# book build and test timings (cold, warm, forced, one-notebook edit, make test, per notebook);
# points per minute of a sweep vs a loop of `compendium run` vs the analysis in-process;
# the vectorised power simulation vs refitting a model per simulated trial;
# a run's page (page.html) against the run itself, for every notebook.
bench: $(STAMP)
	$(RUN_ENV) $(PYTHON) benchmarks/book_build.py --with-test
	$(RUN_ENV) $(PYTHON) benchmarks/sweep_speed.py
	$(RUN_ENV) $(PYTHON) benchmarks/power_simulation.py
	$(RUN_ENV) $(PYTHON) benchmarks/run_page.py

# JupyterLab on the compendium folder, opened on notebooks/ (runs/ opens too), with the committed
# material read-only (tools/jupyter_lab_config.py, tools/lab_contents.py); as root it allows that.
# The "python3" kernel is .venv's own (its kernelspec in .venv is preferred to any in your home
# folder), so notebooks import the helpers installed here. The server's runtime folder is Jupyter's
# own (not .cache), so `jupyter server list` finds it. LAB_ARGS passes options to jupyter lab,
# e.g. LAB_ARGS="--no-browser --port 8890".
LAB_ENV := $(filter-out JUPYTER_RUNTIME_DIR=%,$(RUN_ENV)) JUPYTER_PREFER_ENV_PATH=1
lab: $(STAMP) $(VENV)/$(KERNEL_CONFIG)
	@$(LAB_ENV) $(BIN)/jupyter kernelspec list
	$(LAB_ENV) $(BIN)/jupyter lab --config=tools/jupyter_lab_config.py $(LAB_ARGS)

clean:
	rm -rf _build runs
