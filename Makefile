# Telco billing platform. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the project with dev tools

.PHONY: lock
lock: $(STAMP) ## Upgrade every dependency to its newest release and pin it in constraints.txt
	$(PY) -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	{ sed -n '/^#/p' constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.tmp
	mv constraints.tmp constraints.txt
	touch $(STAMP)

.PHONY: run
run: $(STAMP) ## Start PostgreSQL, NATS, every service and demo data; Ctrl-C stops all
	$(PY) -m devstack.run

.PHONY: test
test: $(STAMP) ## Run the whole test suite against real PostgreSQL and NATS
	$(PY) -m pytest -q

.PHONY: proto
proto: $(STAMP) ## Regenerate the gRPC stubs from proto/
	$(PY) -m devstack.protogen

.PHONY: lint
lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

.PHONY: bench
bench: $(STAMP) ## Benchmarks, figures printed beside their targets
	$(PY) -m devstack.bench
