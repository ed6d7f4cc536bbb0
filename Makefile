# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
SAMPLES := $(wildcard samples/*.txt)

.PHONY: run test test-postgres two-servers setup format bench bench-pages load \
	bench-postgres bench-pages-postgres load-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
.make/requirements: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@mkdir -p .make && touch $@

.make/requirements-dev: requirements-dev.txt requirements.txt .make/requirements
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p .make && touch $@

setup: .make/requirements
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_documents $(SAMPLES)
	$(BIN)/python manage.py ensure_admin

# The web server and, beside it, the worker of background jobs (imports); Ctrl-C stops both.
# The worker does not reload on code changes: restart `make run` after changing a task.
run: setup
	@trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST)

test: .make/requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The same suite on PostgreSQL, in a throw-away cluster (needs Debian's postgresql package).
# Against a server of your own: DATABASE_URL=postgres://... .venv/bin/pytest
test-postgres: .make/requirements-dev
	.ci/with-postgres $(BIN)/pytest

# Two gunicorn instances on one throw-away PostgreSQL and one redis-server: a change saved
# through one shows at once on the other (needs Debian's postgresql and redis-server).
two-servers: .make/requirements
	.ci/two-servers

format: .make/requirements-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Parse+import throughput, as production runs it (no debug query log), in a scratch database.
BENCH_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=localhost \
	DATABASE_URL=sqlite:///$(CURDIR)/.make/bench.sqlite3
bench: .make/requirements
	rm -f .make/bench.sqlite3*
	$(BENCH_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(BENCH_ENV) $(BIN)/python manage.py bench_import

# The same on PostgreSQL: against DATABASE_URL when set (an empty database for bench-pages),
# else in a throw-away cluster (.ci/with-postgres, needs Debian's postgresql package).
WITH_POSTGRES := $(if $(DATABASE_URL),,.ci/with-postgres)
PG_BENCH_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=localhost
bench-postgres: .make/requirements
	$(WITH_POSTGRES) sh -c '$(PG_BENCH_ENV) $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(PG_BENCH_ENV) $(BIN)/python manage.py bench_import'

# Page server times and queries at a data size, in a scratch database made for that size:
# make bench-pages PROGRAMS=5000 YEARS=5
PROGRAMS ?= 500
YEARS ?= 5
PAGES_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=testserver \
	DATABASE_URL=sqlite:///$(CURDIR)/.make/bench-$(PROGRAMS)x$(YEARS).sqlite3
bench-pages: .make/requirements
	$(PAGES_ENV) $(BIN)/python manage.py migrate --no-input -v0
	$(PAGES_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	$(PAGES_ENV) $(BIN)/python manage.py bench --programs $(PROGRAMS) --years $(YEARS)

# make bench-pages-postgres PROGRAMS=5000 YEARS=5 (a throw-away cluster makes its data anew)
PG_PAGES_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench DJANGO_ALLOWED_HOSTS=testserver \
	DJANGO_STATIC_ROOT=$(CURDIR)/.make/bench-static
bench-pages-postgres: .make/requirements
	$(WITH_POSTGRES) sh -c '$(PG_PAGES_ENV) $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(PG_PAGES_ENV) $(BIN)/python manage.py collectstatic --no-input -v0 \
		&& $(PG_PAGES_ENV) $(BIN)/python manage.py bench --programs $(PROGRAMS) --years $(YEARS)'

# 20 signed-in users for 60 s against gunicorn (2 workers) on 127.0.0.1, demo data in a
# scratch database: requests/s and p50/p95 per page, and no errors.
load: .make/requirements
	$(BIN)/python bench/load.py

# The same on PostgreSQL with 4 gunicorn workers: DATABASE_URL when set, else a throw-away
# cluster (demo data made in it first).
load-postgres: .make/requirements
	$(WITH_POSTGRES) $(BIN)/python bench/load.py --workers 4
