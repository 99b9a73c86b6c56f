# One task runner. `make run` serves the site; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run install install-test test lint bench clean
.DEFAULT_GOAL := run

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/dayfacts migrate --noinput
	$(BIN)/dayfacts load_almanac --if-empty
	$(BIN)/dayfacts collectstatic --noinput -v0
	exec $(BIN)/dayfacts serve --host $(HOST) --port $(PORT)

# axe-core for the browser tests' accessibility checks; they skip where npm is absent.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

test: install-test node_modules/.installed
	$(BIN)/dayfacts makemigrations --check --dry-run -v0
	$(BIN)/ruff check dayfacts tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check dayfacts tests bench
	$(BIN)/ruff format --check dayfacts tests bench

bench: install-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var build *.egg-info
