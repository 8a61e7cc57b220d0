# Đôn đốc: `make run` starts the demo, `make test` runs every check. See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/dondoc
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run start test test-long lint format messages browser fonts word

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# SQLite, one django-q2 worker, demo data; Ctrl-C stops both.
run: install
	@$(MAKE) --no-print-directory start

# `run` without installing: the database comes from DATABASE_URL (default ./db.sqlite3), the
# address from HOST and PORT, the worker's log from DONDOC_WORKER_LOG (tests/test_run_stack.py).
start:
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py loaddemo
	$(PY) manage.py setup_schedules
	@bash scripts/run-demo $(PY) $(HOST) $(PORT)

browser:
	@bash scripts/ensure-chromium

fonts:
	@bash scripts/ensure-fonts

# The Word layout test renders every document to PDF (LibreOffice, pdftotext).
word:
	@bash scripts/ensure-libreoffice

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every commit: the suite on PostgreSQL, then on SQLite what `make run` shows on its first day
# and the code that differs by database. `test-long` runs the tests marked `long` (many
# processes, big worlds, benchmarks) and the whole portable suite on SQLite.
PORTABLE := not postgres and not browser and not stack and not long
SQLITE_DB := sqlite:///$(CURDIR)/test-portable.sqlite3
SQLITE_EACH_COMMIT := tests/test_demo.py tests/test_demo_day_one.py tests/test_demo_ladder.py \
	tests/test_escalation.py tests/test_event_log.py tests/test_letters.py \
	tests/test_notification_sendlog.py tests/test_petition_repeats.py tests/test_reports_a_b.py \
	tests/test_dashboard.py tests/test_compiled_once.py tests/test_case_lifecycle.py \
	tests/test_search.py tests/test_lost_race.py

test: install browser fonts word lint
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not long" -n auto
	DATABASE_URL=$(SQLITE_DB) $(VENV)/bin/pytest -m "$(PORTABLE)" -n auto -p no:cacheprovider -q $(SQLITE_EACH_COMMIT)

test-long: install browser fonts word lint
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m long
	DATABASE_URL=$(SQLITE_DB) $(VENV)/bin/pytest -m "$(PORTABLE)" -n auto -p no:cacheprovider -q
