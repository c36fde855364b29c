# LASHI — the two commands: `make demo` (main job on built-in sample data) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
DEMO   ?= demo
CASES  ?= 60000
MONTHS ?= 12
SEED   ?= 7

.PHONY: demo test test-slow test-all venv sysdeps clean bench docs

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## The main job: generate the sample, load it, evaluate, write outputs, print a summary.
demo: $(STAMP)
	$(BIN)/lashi demo --dir $(DEMO) --cases $(CASES) --months $(MONTHS) --seed $(SEED)

## System packages the tests use (Chromium, CJK font, poppler, PostgreSQL, Java): installed when
## missing and running as root with apt-get, otherwise named.
sysdeps:
	@bash scripts/system_deps.sh

## The tests (normal suite; slow suites: `make test-slow`).
test: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q -m "not slow"

test-slow: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q -m slow

test-all: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

docs: $(STAMP)
	$(BIN)/lashi contract docs --out docs/data-contract.md

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
