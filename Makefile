# Venture Command Center: one entry point for developers and CI.
#
#   make run     venv + JS toolchain + migrated & seeded demo DB, then the prod server on :8000
#   make test    ruff, mypy, pytest (unit + e2e) on SQLite, and on PostgreSQL when one is reachable
#   make lab     JupyterLab on notebooks/ with the project's kernel
#
# Every recipe sources scripts/env.sh: the pinned bun/node (tools/) and .venv first on PATH,
# Reflex kept offline except for the package registries.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8000
# The address `make run` listens on: this machine only. VCC_HOST=0.0.0.0 opens it to the network.
VCC_HOST ?= 127.0.0.1
LAB_PORT ?= 8888
UID := $(shell id -u)
PYTEST_ARGS ?=
export PYTEST_ARGS
RUN := . scripts/env.sh &&

# Stamps live inside what they describe, so deleting .venv or tools/node_modules resets them.
VENV_STAMP := $(VENV)/.vcc-installed
TOOLS_STAMP := tools/node_modules/.vcc-installed

# This machine's pip config lists local indexes that lack most packages: one warning per package.
PIP_NOISE := is ignored: it is neither a file nor a directory

SUDO := $(if $(filter 0,$(UID)),,sudo)
CHROMIUM ?= /usr/bin/chromium

.PHONY: help venv tools chromium redis db jobs-today run test lint fmt lab clean distclean

help:
	@echo "make run        start the app on http://$(VCC_HOST):$(PORT) (installs what is missing;"
	@echo "                VCC_HOST=0.0.0.0 to open it to the network)"
	@echo "make test       lint + types + tests (PYTEST_ARGS='-k login' to narrow)"
	@echo "make lab        JupyterLab on notebooks/ with the 'Venture Command Center' kernel"
	@echo "make db         migrate + seed the demo database when empty"
	@echo "make lint|fmt   ruff check / ruff format"
	@echo "make clean      remove build output (.web, .states, var/*.db, reports); distclean: also .venv, tools"

# ---------------------------------------------------------------- environment

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
		|| { echo "$(VENV) is not Python 3.11: rm -rf $(VENV) and set PYTHON=python3.11"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]' 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name vcc --display-name "Venture Command Center"
	@touch $@

tools: $(TOOLS_STAMP)

$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund
	@touch $@

# Debian's chromium for the e2e tests (Playwright's own browser download is not reachable).
chromium:
	@if [ -n "$${CHROMIUM_PATH:-}" ] && [ -x "$${CHROMIUM_PATH}" ]; then exit 0; fi; \
	if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian chromium (needed by the e2e tests)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

# Debian's redis-server for the cache tests (each test session starts its own on a free port;
# no system service is needed). Not installable here: the Redis tests skip (CI=true: they fail).
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
		echo "Installing Debian redis-server (needed by the cache tests)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server \
		|| echo "redis-server not installed: the Redis cache tests will skip"; }

# ---------------------------------------------------------------- app

db: venv
	@mkdir -p var
	$(RUN) vcc db upgrade
	$(RUN) vcc demo seed --size small --if-empty

# Today's slot of every scheduled job, once (slots already run are skipped), so a fresh demo has
# real runs and reports on the jobs page. A failed job does not stop the app from starting.
jobs-today: db
	@$(RUN) vcc jobs run-today || echo "(some of today's jobs failed: see \`vcc jobs list\` and docs/RUNBOOK.md)"

run: venv tools db jobs-today
	@$(RUN) echo; \
	vcc demo logins || echo "(vcc demo logins failed: see above)"; \
	echo; \
	echo "(every prod start compiles and builds the frontend first: about 10-15 s)"; \
	exec vcc serve --port $(PORT) --host $(VCC_HOST)

# ---------------------------------------------------------------- quality

test: venv tools chromium redis
	@bash scripts/test.sh

lint: venv
	$(RUN) ruff check .
	$(RUN) ruff format --check .

fmt: venv
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# The kernel "vcc" (registered by the venv target) imports `domain` and reads DATABASE_URL (or
# .env) like the app; LAB_DATABASE_URL=... points the lab elsewhere (a read-only role for analysts).
lab: venv
	@mkdir -p notebooks
	@$(RUN) $(if $(LAB_DATABASE_URL),DATABASE_URL='$(LAB_DATABASE_URL)') vcc db status || true
	$(RUN) $(if $(LAB_DATABASE_URL),DATABASE_URL='$(LAB_DATABASE_URL)') exec jupyter lab \
		--notebook-dir=notebooks --no-browser --ip 127.0.0.1 --port $(LAB_PORT) \
		--MappingKernelManager.default_kernel_name=vcc $(if $(filter 0,$(UID)),--allow-root)

# ---------------------------------------------------------------- cleanup

clean:
	rm -rf .web .states test-artifacts test-results .pytest_cache .mypy_cache .ruff_cache .hypothesis
	rm -f var/*.db var/*.db-wal var/*.db-shm var/*.db-journal
	@if [ -d reports ]; then find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +; fi
	find . -path ./.venv -prune -o -path ./tools/node_modules -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) tools/node_modules *.egg-info
