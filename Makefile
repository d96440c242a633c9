# OBCMS Planning & Budgeting Workbench — the commands you need.
#   make run    set up (venv, pinned install, database) and start the workbench and its API
#   make test   set up and run every test (PostgreSQL and browser tests skip with a notice
#               when OBCMS_TEST_DATABASE_URL or /usr/bin/chromium are missing)

PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
API_PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint bench api setup db clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

db: setup
	$(PY) -m obcms_core init-db
	$(PY) -m obcms_core load-reference --if-empty
	$(PY) -m obcms_core seed-demo --if-empty

run: db
	@echo "Workbench: http://localhost:$(PORT)   API: http://localhost:$(API_PORT)/docs"
	@$(PY) -m obcms_core serve-api --host 0.0.0.0 --port $(API_PORT) & API_PID=$$!; \
	trap 'kill $$API_PID 2>/dev/null' EXIT INT TERM; \
	$(PY) -m streamlit run app.py --server.port $(PORT)

api: db
	$(PY) -m obcms_core serve-api --host 0.0.0.0 --port $(API_PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: setup
	$(PY) bench/seed.py --scales 1,10
	$(PY) bench/optimizer.py --ppas 5000 --needs 50000
	$(PY) bench/scenario_gain.py --scale 1 --years 2025,2026
	$(PY) bench/pb.py
	$(PY) bench/pb_store.py
	$(PY) bench/votes.py
	$(PY) bench/pages.py --scale 10

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
