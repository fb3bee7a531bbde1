# The two commands: `make run` (the demo, everything embedded) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export COCREATE_VAR_DIR ?= $(CURDIR)/var
# The suite runs on every core (pytest-xdist; each worker has its own test database and Redis database).
# PYTEST_ARGS="-n 0 -x tests/test_foo.py" runs in one process, as a plain `.venv/bin/pytest` does.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

run: install
	@mkdir -p "$(COCREATE_VAR_DIR)"
	DEBUG=1 $(BIN)/python manage.py seed_demo --migrate  # one process: Django starts once for both
	@echo ""
	@echo "  Cocreate is starting on http://127.0.0.1:$(PORT)/  (web + Celery worker + beat; Ctrl-C stops all)"
	@echo ""
	DEBUG=1 COCREATE_PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	@mkdir -p "$(COCREATE_VAR_DIR)"
	$(BIN)/ruff check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=cocreate.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cocreate.settings_test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
