# Two commands do everything on a fresh machine with Python 3.11:
#   make run   - install into .venv, prepare the embedded database with demo data, serve the console
#   make test  - install into .venv and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test lint install clean-db fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/jiesu migrate --noinput
	$(BIN)/jiesu demo --initial-orders 3000
	@echo "Console: http://127.0.0.1:$(PORT)/  (log in with a demo user printed above)"
	@# The periodic jobs (return-visit sweep, transfer follow-up, retraining) run beside the server
	@# and stop with it: no broker here, so no celery beat.
	$(BIN)/jiesu run-schedule & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn jiesu.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile -

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Schemathesis against the API's own schema with every check and FUZZ_EXAMPLES examples per
# operation (issue 12's bar: 50); the suite runs the same test with fewer (JIESU_FUZZ_EXAMPLES).
# On PostgreSQL: make fuzz DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_fuzz
FUZZ_EXAMPLES ?= 50
fuzz: install
	JIESU_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider --create-db \
	  --durations=0 tests/test_schema_fuzz.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean-db:
	rm -f var/jiesu.sqlite3 var/jiesu.sqlite3-wal var/jiesu.sqlite3-shm
