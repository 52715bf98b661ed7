# Every target sets up the virtualenv it needs; TENANT selects the tenant under tenants/.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TENANT ?= example
PYTEST_ARGS ?=

.PHONY: venv test lint typecheck pytest validate schemas schema-check plan apply bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

test: lint typecheck schema-check pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest $(PYTEST_ARGS)

validate: venv
	$(BIN)/reconciler validate --tenant $(TENANT)

schemas: venv
	$(BIN)/reconciler schema

schema-check: venv
	$(BIN)/reconciler schema --check

plan: venv
	$(BIN)/reconciler plan --tenant $(TENANT)

apply: venv
	$(BIN)/reconciler apply --tenant $(TENANT) --yes

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .sandbox .mypy_cache .ruff_cache .pytest_cache
