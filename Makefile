# Qingdan — the commands a newcomer needs. `make run` to start, `make test` to check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/qingdan

.PHONY: install system-deps system-deps-test run demo test test-sqlite test-postgres lint format messages bench bench-peer clean

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Qingdan needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# ECharts comes from the npm registry and is served by the app (static/vendor/, not committed).
VENDOR := static/vendor/echarts.min.js

$(VENDOR): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && mkdir -p static/vendor && \
		cp node_modules/echarts/dist/echarts.min.js $(VENDOR); \
	else \
		echo "npm not found: charts will show as tables only (apt-get install npm)."; \
	fi

install: $(STAMP) $(VENDOR)

# Debian packages (fonts, HarfBuzz subsetting, gettext; Chromium for the tests): installed when
# missing, or the exact apt-get line to run is printed (scripts/system-deps.sh).
system-deps:
	@bash scripts/system-deps.sh

system-deps-test:
	@bash scripts/system-deps.sh --test

run: system-deps install
	@$(PY) manage.py migrate --noinput --verbosity 0
	@PORT=$(PORT) $(PY) manage.py demo --if-empty
	@PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

demo: system-deps install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

test: test-sqlite test-postgres

test-sqlite: system-deps-test install
	env -u DATABASE_URL $(PY) -m pytest

# PostgreSQL: DATABASE_URL if set, else the local server. Skipped when unreachable,
# unless QINGDAN_REQUIRE_POSTGRES=1 (as in CI), which makes that a failure.
test-postgres: system-deps-test install
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	if $(PY) scripts/db_reachable.py "$$url"; then \
		echo "== PostgreSQL: $$url"; DATABASE_URL="$$url" $(PY) -m pytest; \
	elif [ "$${QINGDAN_REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "PostgreSQL is required (QINGDAN_REQUIRE_POSTGRES=1) but $$url is unreachable."; exit 1; \
	else \
		echo "PostgreSQL unreachable at $$url: skipped (set QINGDAN_REQUIRE_POSTGRES=1 to fail)."; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the catalogues after changing user-facing strings, then translate what is new.
# English is the source language: its catalogue is the msgids themselves (msgen), made anew.
messages: install
	rm -f locale/en/LC_MESSAGES/django.po
	$(PY) manage.py makemessages --locale zh_Hans --locale en --no-obsolete --no-location --extension html,txt,py,md \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'bench/data/*'
	msgen -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --locale zh_Hans --locale en --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) var node_modules static/vendor

# Benchmarks at province scale (100 k and 1 M problems) on SQLite and PostgreSQL.
# The first run generates the databases (minutes); later runs reuse them.
bench: install
	$(PY) bench/run.py

# The peer tracker (../shared/peers/helpdesk) and Qingdan's API load test in one run.
bench-peer: install
	$(PY) bench/peer.py
