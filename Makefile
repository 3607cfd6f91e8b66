# Gongshi: `make run` serves the demo city, `make test` runs the whole suite.
# Both set up everything they need on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app kiosk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
TEST_PACKAGES := chromium poppler-utils
HOST ?= 127.0.0.1
PORT ?= 5000
# DEMO=0 starts a city of its own: the schema and the holiday calendar, no demo catalogue.
DEMO ?= 1

.PHONY: run dev test setup setup-test system system-test db translations lint rehearsal clean

# The job worker (hall batches of notices) runs beside the app and stops with it.
run: setup db
	$(FLASK) jobs worker & worker=$$!; trap 'kill $$worker' EXIT; \
	$(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - "kiosk:create_app()"

dev: setup db
	$(FLASK) run --debug --host $(HOST) --port $(PORT)

test: setup-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: system $(VENV)/.installed translations

setup-test: setup system-test $(VENV)/.installed-test

# apt-get only runs when a package is missing, so repeated runs stay fast and need no root.
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

system-test:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing test packages: $$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	@$(VENV)/bin/pybabel compile -f -d kiosk/translations >$(VENV)/babel.log 2>&1 || { cat $(VENV)/babel.log; exit 1; }

db: setup
	$(FLASK) db upgrade
	@if [ "$(DEMO)" = 0 ]; then $(FLASK) holidays seed; else $(FLASK) seed-demo; fi

# Two app servers, the job worker and nginx on loopback, against an empty PostgreSQL
# database: REHEARSAL_DATABASE_URL=postgresql+psycopg://user:pass@127.0.0.1/db make rehearsal
rehearsal: setup-test
	@missing=$$(dpkg -s nginx-light >/dev/null 2>&1 || dpkg -s nginx >/dev/null 2>&1 || echo nginx-light); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi
	$(PY) deploy/rehearsal/rehearse.py --database-url "$(REHEARSAL_DATABASE_URL)"

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) instance/*.sqlite3 instance/cache
