# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_COURSES ?= 300
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: run test install migrate demo serve lint bench e2e-deps messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py setup_site
	$(BIN)/python manage.py seed_demo --courses $(DEMO_COURSES) --if-empty
	$(BIN)/python manage.py seed_commissioning_demo --if-empty
	PORT=$(PORT) $(BIN)/python manage.py ensure_demo_admin

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

run: demo serve

e2e-deps: install
	bash tests/e2e/install_deps.sh

test: install e2e-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --create-db -q

# Refresh the Chinese catalogues from the code and templates, then compile them. The .mo files are committed,
# so running the site or the tests never needs gettext.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l zh_Hant --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete
	$(BIN)/python manage.py compilemessages -l zh_Hans -l zh_Hant --ignore=.venv

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

bench: install
	$(BIN)/python bench/seed_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3* media static_collected node_modules
