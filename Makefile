# Every target works on a fresh machine: `make install` builds .venv from pyproject.toml first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint demo run eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check src flows tests
	$(BIN)/ruff format --check src flows tests
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

demo: install
	$(BIN)/python -m etl.demo

run: install
	$(BIN)/etl run

eval: install
	$(BIN)/python -m etl.extract.evaluate

bench: install
	$(BIN)/python -m etl.bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
