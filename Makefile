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
export PATH := $(abspath $(BIN)):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install book test test-fast notebooks lock bench clean

help:
	@echo "make book   build the HTML book into _build/html (installs into .venv first)"
	@echo "make test   unit tests, nbval (strict) over notebooks/, and the book build test"
	@echo "make notebooks  re-execute the committed notebooks in place (after changing helpers)"
	@echo "make lock   re-resolve requirements.in into requirements.lock and environment.yml"
	@echo "make bench  time a sweep against a loop of compendium run and the analysis in-process"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PYTHON) || { \
	  $(PY311) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	    || { echo "Python 3.11 is required (found: $$($(PY311) --version 2>&1))"; exit 1; }; \
	  $(PY311) -m venv $(VENV); }
	$(PYTHON) -m pip install --quiet --upgrade "pip>=23.2"
	$(PYTHON) -m pip install --quiet -r requirements.lock
	$(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

book: $(STAMP)
	$(PYTHON) tools/cache_guard.py
	$(BIN)/jupyter-book build . --all --builder html
	@echo "The book: $(abspath _build/html/index.html)"

test: $(STAMP)
	$(PYTHON) -m pytest -n $(JOBS) --dist loadfile \
	  --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  tests notebooks

# Unit tests only (no notebooks, no book build): quick feedback while developing.
test-fast: $(STAMP)
	$(PYTHON) -m pytest -n $(JOBS) --dist loadfile -m "not book" tests

notebooks: $(STAMP)
	$(PYTHON) tools/execute_notebooks.py notebooks/*.ipynb

# Points per minute of a sweep vs a loop of `compendium run` vs the analysis in-process.
bench: $(STAMP)
	$(PYTHON) benchmarks/sweep_speed.py

lock:
	@test -x $(PYTHON) || $(PY311) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host --allow-unsafe --output-file requirements.lock requirements.in
	$(PYTHON) tools/sync_environment.py

clean:
	rm -rf _build runs
