# marsad: `make run` runs the demo on the embedded default (SQLite), `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: setup test lint run clean bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff format --check marsad tests bench
	$(BIN)/ruff check marsad tests bench
	$(BIN)/mypy

test: lint
	MARSAD_SHARED=$(SHARED) $(BIN)/pytest -q

run: setup
	$(BIN)/marsad import $(SHARED)/corpus/saudinewsnet
	$(BIN)/marsad stats

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache
