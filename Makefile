# Two commands for a fresh clone (only Python >= 3.11 and make needed):
#   make demo   virtualenv, install, migrate, load the demo county, serve on http://127.0.0.1:$(PORT)
#               with the background-job worker beside it (both stop on Ctrl+C)
#   make test   virtualenv with dev dependencies, then the whole suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test install install-dev lint typecheck serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

demo: install
	$(BIN)/gongkai migrate --no-input
	$(BIN)/gongkai demo --port $(PORT)
	$(BIN)/gongkai serve --host 127.0.0.1 --port $(PORT) --with-worker

serve: install
	$(BIN)/gongkai serve --host 127.0.0.1 --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy gongkai

clean:
	rm -rf $(VENV) var
