# IJH Netwerken. The two commands a newcomer needs: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# make test talks to real servers; these are the defaults on a developer machine and in CI.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ijh
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0
# Test processes (pytest-xdist, one file per process so module fixtures are built once); 0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: bench bench-data loadtest bench-reports run test install install-dev deps-system deps-browser services-check lint format messages smoke constraints clean

$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed messages

## The app on the embedded default (SQLite + filesystem broker under var/), demo data and a live worker.
run: install
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

## The whole suite on PostgreSQL and Redis, with a real worker and Debian's Chromium.
test: install deps-browser
	@DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/python scripts/check_services.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## Debian packages the tests need: Chromium for the browser tests (never a browser download) and
## HarfBuzz-Subset, which WeasyPrint uses to embed fonts; chromium-l10n so date inputs in the
## browser tests show Belgian dates; axe-core from npm.
SYSTEM_PACKAGES := chromium chromium-l10n fonts-dejavu-core libharfbuzz-subset0
deps-system:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	test -f /usr/lib/chromium/locales/nl.pak || missing="$$missing chromium-l10n"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Debian-pakketten installeren:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "Installeer deze Debian-pakketten: $(SYSTEM_PACKAGES)"; exit 1; fi

deps-browser: deps-system
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

## The smoke check CI runs: the embedded default on a fresh SQLite file, login page and a logged-in page.
smoke: install
	$(BIN)/python scripts/smoke.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Compile the translations (English); Dutch is the source language.
messages: $(BIN)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt ontbreekt (Debian-pakket gettext): de Engelse vertaling wordt overgeslagen."; fi

constraints:
	$(BIN)/pip freeze --exclude-editable > requirements/constraints.txt

clean:
	rm -rf var/ijh.sqlite3* var/broker

## Report generation benchmark at Flanders scale (PostgreSQL; not part of `make test`): one
## network, one region and all of Flanders (figures + PDF). Generates the data set once into the
## benchmark database (BENCH_DATABASE_URL, default ijh_bench), like bench-data.
bench-reports: bench-data
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_reports --skip-generate

## The Flanders-size benchmark (DESIGN.md §6): generates the data set once into ijh_bench
## (about 75 s), then measures every main page per role under gunicorn. Not part of `make test`.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ijh_bench
bench-data: install
	@BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -c "import os, psycopg; url = os.environ['BENCH_DATABASE_URL']; base, name = url.rsplit('/', 1); c = psycopg.connect(base + '/postgres', autocommit=True); c.execute(f'CREATE DATABASE \"{name}\"') if not c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone() else None"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v 0
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py shell -c "from networks.models import Network; raise SystemExit(0 if Network.objects.filter(name__startswith='Bench').exists() else 1)" 2>/dev/null \
		|| DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py generate_scale --scale flanders

bench: bench-data
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/bench.py

## 50 simulated users for 60 s (locust, a second process) on the benchmark data set.
$(BIN)/.installed-bench: $(BIN)/.installed
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[bench]'
	touch $@

loadtest: bench-data $(BIN)/.installed-bench
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python scripts/loadtest.py
