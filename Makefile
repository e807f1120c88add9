# Proving Ground: `make run` to set up and serve the demo, `make test` to set up and run every test.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PIP_QUIET := 2>&1 | { grep -v 'WARNING: Location' || true; }
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt $(PIP_QUIET)
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt $(PIP_QUIET)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

app/static/dist/application.css: node_modules/.installed app/static/src/application.scss app/static/build.mjs
	npm run --silent build

# Each language's catalogue, compiled (the .mo files are built here, never committed).
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED_CATALOGUES := $(CATALOGUES:.po=.mo)
PYBABEL_EXTRACT := $(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext \
	--add-location=file --sort-output --no-wrap --project proving-ground

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --domain messages --input-file $< --output-file $@

install: $(VENV)/.installed app/static/dist/application.css $(COMPILED_CATALOGUES) ## Install Python and front-end dependencies, build assets
	@bash scripts/ensure-word-list.sh

migrate: install ## Create or migrate the database schema
	$(FLASK) db upgrade

demo: migrate ## Load the demo content (idempotent)
	$(FLASK) demo load

# The email alerts' worker runs beside the web server on the Redis scripts/ensure-redis.sh finds
# (or starts); without redis-server the site still runs, and alerts are not sent.
run: demo ## Install, migrate, load the demo and serve on http://127.0.0.1:5000 with the alerts worker
	@if url="$$(bash scripts/ensure-redis.sh 2>/dev/null)"; then \
	  export ALERTS_REDIS_URL="$${ALERTS_REDIS_URL:-$$url}"; \
	  echo "Email alerts: worker on $$ALERTS_REDIS_URL (MAIL_BACKEND=$${MAIL_BACKEND:-log})"; \
	  $(FLASK) alerts worker & worker=$$!; trap 'kill $$worker 2>/dev/null || true' EXIT; \
	else \
	  echo "Email alerts: no Redis (install redis-server), so alerts are not sent"; \
	fi; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test-deps: $(VENV)/.dev-installed app/static/dist/application.css $(COMPILED_CATALOGUES) ## Install what the tests need (Chromium, PostgreSQL, Redis, nginx)
	@bash scripts/ensure-system-packages.sh
	@bash scripts/ensure-word-list.sh

lint: $(VENV)/.dev-installed ## ruff, mypy and the import layers (import-linter)
	$(BIN)/ruff check app config tests migrations wsgi.py
	$(BIN)/ruff format --check app config tests migrations wsgi.py
	$(BIN)/mypy app config
	$(BIN)/lint-imports --no-cache

# pytest-xdist: TEST_WORKERS processes, each with its own database and temporary folders; a module's
# tests stay on one worker, so its fixtures (a browser, a served demo site) are made once.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope

test: test-deps lint ## Install everything, then run every test on SQLite and on PostgreSQL
	export TEST_REDIS_URL="$$(bash scripts/ensure-redis.sh)" && \
	  $(PYTEST) && \
	  PG_URL="$$(bash scripts/ensure-postgres.sh)" && \
	  TEST_DATABASE_URL="$$PG_URL" $(PYTEST) -m "not sqlite_only"

$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.dev-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench-load: $(VENV)/.bench-installed app/static/dist/application.css ## Load test (locust, gunicorn) on SQLite and PostgreSQL, with writers at 1 write/s; BENCH_SECONDS=60
	@bash scripts/ensure-system-packages.sh
	$(BIN)/python bench/load.py

bench-capacity: $(VENV)/.bench-installed app/static/dist/application.css ## The highest request rate the load mix sustains without waits (read p95 ≤ 500 ms, no errors); BENCH_CLUSTER=1 for 1 and 2 servers
	@bash scripts/ensure-system-packages.sh
	$(BIN)/python bench/capacity.py

translations: $(VENV)/.installed ## Extract marked text to messages.pot, update each language's .po, compile
	$(PYBABEL_EXTRACT) --output-file app/translations/messages.pot app
	@test -f app/translations/en/LC_MESSAGES/messages.po || \
	  $(BIN)/pybabel -q init --no-wrap -i app/translations/messages.pot -d app/translations -l en
	$(BIN)/pybabel -q update --no-wrap --ignore-obsolete -i app/translations/messages.pot -d app/translations
	$(BIN)/pybabel -q compile -d app/translations

format: $(VENV)/.dev-installed ## Format the code with ruff
	$(BIN)/ruff format app config tests migrations wsgi.py
	$(BIN)/ruff check --fix app config tests migrations wsgi.py

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules app/static/dist instance search_index/*

bench-feeds: $(VENV)/.dev-installed ## Time an unchanged feed's 304 and a changed feed's rebuild at 10,000 pilots
	$(BIN)/python scripts/bench_feeds.py

.PHONY: help install migrate demo run test-deps lint test translations format clean bench-feeds bench-load bench-capacity bench-search bench-search-log bench-appraisal openapi bench-api bench-pages bench-cluster

bench-search: $(VENV)/.installed ## Benchmark search: Whoosh against SQLite FTS5 (BENCH_N pilots, default 10000), then recall@10 and nDCG@10 of the judged set on both backends
	BENCH_N=$${BENCH_N:-10000} $(BIN)/python scripts/bench_search.py
	BENCH_N=$${BENCH_N:-10000} $(BIN)/python scripts/bench_search_language.py
	$(BIN)/python scripts/bench_search_relevance.py

bench-search-log: $(VENV)/.installed ## Two servers, one database: time for server B to apply 1, 10, 100 and 1,000 changes saved on A (BENCH_N, default 10000)
	BENCH_N=$${BENCH_N:-10000} $(BIN)/python scripts/bench_search_log.py

bench-appraisal: $(VENV)/.installed ## Time one appraisal's figures: 4 options × 30 lines × 10 years × 10,000 iterations (BENCH_RUNS=50)
	$(BIN)/python scripts/bench_appraisal.py

openapi: $(VENV)/.installed ## Write the API's OpenAPI document (app/api/openapi.json) from the code; commit it
	$(BIN)/python -c "from app import create_app; from app.api.spec import COMMITTED, document_text; app = create_app({'SERVER_NAME': 'localhost'}); ctx = app.app_context(); ctx.push(); COMMITTED.write_text(document_text(), encoding='utf-8')"

bench-api: $(VENV)/.installed ## Time GET /api/v1/pilots?q= against /search, and a page of 100 at 10,000 pilots
	$(BIN)/python scripts/bench_api.py

bench-cluster: $(VENV)/.dev-installed app/static/dist/application.css ## Two servers behind nginx: a save on A seen on B, reads with one server and two, a kill (BENCH_SAVES, BENCH_SECONDS)
	@bash scripts/ensure-system-packages.sh
	$(BIN)/python bench/cluster_bench.py

bench-pages: $(VENV)/.dev-installed ## Time every page uncached at 10,000 and 100,000 pilots (BENCH_N, BENCH_SECONDS)
	$(BIN)/python bench/pages.py
