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

# Every commit: the suite on PostgreSQL, then the portable part again on SQLite; the tests
# marked `long` (many processes, big worlds, benchmarks) wait for `make test-long`.
test: install browser fonts word lint
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not long"
	DATABASE_URL=sqlite:///$(CURDIR)/test-portable.sqlite3 $(VENV)/bin/pytest -m "not postgres and not browser and not stack and not long" -p no:cacheprovider -q

test-long: install browser lint
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m long
