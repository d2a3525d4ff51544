# marsad: `make run` runs the demo on the embedded default (SQLite), `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: setup test lint run live clean bench fuzz

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

# Fuzz feed parsing and page extraction with atheris for a bounded time (not part of `test`):
# `make fuzz FUZZ_TARGET=page FUZZ_SECONDS=600`; a crash leaves its input as crash-* here.
FUZZ_TARGET ?= feed
FUZZ_SECONDS ?= 60

fuzz: setup
	MARSAD_SHARED=$(SHARED) $(BIN)/python bench/fuzz.py --target $(FUZZ_TARGET) --seconds $(FUZZ_SECONDS)

# The demo: replay the shared corpus as live news sites (SPEED times real time), fetch it with
# `marsad run`, and serve the site on http://127.0.0.1:8000; ^C stops all three processes.
SPEED ?= 600
CORPUS ?= $(SHARED)/corpus/saudinewsnet

run: setup
	MARSAD_SHARED=$(SHARED) $(BIN)/marsad demo $(CORPUS) --speed $(SPEED)

# The same with real Arabic news feeds (marsad/web/data/live.opml) instead of the replay.
live: setup
	$(BIN)/marsad demo --live

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache
