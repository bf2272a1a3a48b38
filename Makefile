# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make run   – install, migrate, load the seed fixtures and demo users, serve with Celery
#   make test  – install, start throw-away PostgreSQL and Redis, run the whole suite, stop them
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: help setup run test test-fast test-local fuzz bench load lock lint format messages check-migrations clean

help:
	@echo "make run    set up (venv, dependencies, database, fixtures, demo users) and serve on http://$(HOST):$(PORT)"
	@echo "           (HOST and PORT from the environment, e.g. PORT=8080 make run)"
	@echo "make test   run the whole suite against throw-away PostgreSQL and Redis"
	@echo "make test-fast  the tests that need no database and no Redis (seconds, no services)"
	@echo "make test-local the suite against your own PostgreSQL and Redis (DATABASE_URL, REDIS_URL, CELERY_*),"
	@echo "                keeping the test database between runs (--reuse-db; --create-db to rebuild it)"
	@echo "make fuzz   draw new examples for the property-based tests, FUZZ_RUNS times (make test replays fixed ones)"
	@echo "make bench  run the benchmarks"
	@echo "make load   50 users for 60 s against gunicorn on PostgreSQL (locust); checks no write is lost"
	@echo "make lint   ruff (lint and format check) and mypy, as CI runs them"
	@echo "make format ruff's fixes and formatting, in place"
	@echo "make lock   re-resolve requirements*.lock from pyproject.toml"

# Debian's own Python needs python3-venv for `-m venv`; install it when missing (as root).
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip

# Runtime and development dependencies, exactly as locked.
$(VENV)/.installed: requirements-dev.lock scripts/system-deps.sh | $(BIN)/python
	scripts/system-deps.sh
	$(BIN)/pip install --quiet --no-deps -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed_data
	$(MANAGE) create_demo_users
	$(MANAGE) create_demo_training

# Where `make run` serves: HOST and PORT from the environment (or `make run PORT=8080`). honcho
# hands each process of Procfile.dev its own PORT counting from -p, the web server first.
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and QR codes point at the server `make run` starts, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	HOST=$(HOST) SITE_URL=$(SITE_URL) $(BIN)/honcho start -f Procfile.dev -p $(PORT)

# The suite in TEST_PROCESSES processes (pytest-xdist; one per core here), a test file each at a
# time so module-scoped fixtures are built once; TEST_PROCESSES=0 runs it in this process.
TEST_PROCESSES ?= 2
test: $(VENV)/.installed
	scripts/system-deps.sh chromium
	scripts/with-services.sh $(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

# Tests that touch neither the database nor Redis (tests/conftest.py marks the others "services").
test-fast: $(VENV)/.installed
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -q -m "not services" $(PYTEST_ARGS)

# Local runs against services you keep running: the test database survives between runs.
test-local: $(VENV)/.installed
	$(BIN)/pytest --reuse-db $(PYTEST_ARGS)

FUZZ_RUNS ?= 5
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=explore scripts/with-services.sh bash -c 'for run in $$(seq $(FUZZ_RUNS)); do \
	  $(BIN)/pytest -q $$(grep -rl "from hypothesis" tests --include="*.py" | grep -v conftest) || exit 1; done'

bench: $(VENV)/.installed
	scripts/with-services.sh $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

load: $(VENV)/.installed
	scripts/with-services.sh $(BIN)/python benchmarks/load.py $(LOAD_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l en --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

check-migrations: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf var
