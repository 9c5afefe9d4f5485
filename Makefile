# Atelier: `make run` serves a seeded demo on a fresh machine, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)/platform:$(CURDIR)
export DJANGO_SETTINGS_MODULE := atelier.settings
HOST ?= 127.0.0.1
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json -type f 2>/dev/null)

.PHONY: help install frontend run test test-python test-frontend test-embedded lint format schema messages bench clean

help:
	@echo "make run      set everything up and serve the seeded demo on http://$(HOST):$(PORT)"
	@echo "make test     the whole suite (Python, front-end unit tests, browser tests)"
	@echo "make test-embedded  the Python suite with nothing configured (SQLite, no Redis), as a fresh machine has it"
	@echo "make lint     ruff, mypy (strict, django-stubs), TypeScript type check, ESLint"
	@echo "make schema   regenerate frontend/openapi.yaml and the front end's API types"
	@echo "make messages update the server's catalogues (annotations/locale/es, pt_BR) from the code and compile them"
	@echo "make bench    the benchmarks in bench/ (figures go to docs/benchmarks.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/.vite/manifest.json: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/.vite/manifest.json

run: install frontend
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@trap 'kill 0' EXIT INT TERM; \
	if [ -n "$$REDIS_URL" ]; then \
	  $(BIN)/celery -A atelier worker --loglevel INFO & \
	  $(BIN)/celery -A atelier beat --loglevel INFO --schedule var/celerybeat-schedule & \
	else \
	  echo "No REDIS_URL (embedded mode): requests run their tasks in-process; one worker with beat runs the schedule."; \
	  EMBEDDED_WORKER=true $(BIN)/celery -A atelier worker --beat --pool solo --loglevel INFO --schedule var/celerybeat-schedule & \
	fi; \
	echo; echo "  Atelier is at http://$(HOST):$(PORT)/  (API docs: /api/docs/)"; \
	echo "  Demo logins: admin / reviewer / freelancer, password atelier-demo"; echo; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install frontend test-frontend test-python

# pytest-xdist: one test process per core (PYTEST_WORKERS=0 runs them in this process).
PYTEST_WORKERS ?= auto

test-python: install frontend
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test-frontend: install
	cd frontend && npm test

# The embedded mode, as `make run` and `make test` get it on a fresh machine: every variable of .env.example and CI
# unset, so SQLite in memory, eager Celery, files on disk. Tests that need PostgreSQL, Redis or S3 skip here (the
# real-services run has them); the browser tests are left to that run too. CI runs this beside `make test`.
EMBEDDED_UNSET := CI $(shell sed -nE 's/^#? ?([A-Z][A-Z0-9_]+)=.*/\1/p' .env.example)
test-embedded: install frontend
	env $(addprefix -u ,$(EMBEDDED_UNSET)) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not e2e" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	cd frontend && npm run typecheck
	cd frontend && npm run lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/python manage.py spectacular --file frontend/openapi.yaml
	cd frontend && npm run gen:api

# The server's catalogues: every translatable string of the code and templates into annotations/locale/<lang>/
# django.po (new ones untranslated, to be filled in), then compiled to the .mo files, which are committed too.
# tests/test_translations.py fails until both are complete and current. Needs GNU gettext (xgettext, msgfmt).
MESSAGES_IGNORE := --ignore=.venv --ignore=frontend --ignore=node_modules --ignore=var
messages: install
	$(BIN)/python manage.py makemessages -l es -l pt_BR --add-location=file $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

bench: install
	@ls bench/bench_*.py >/dev/null 2>&1 || { echo "No benchmarks in bench/ yet."; exit 0; }; \
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var
