# Two commands set everything up on a fresh machine:
#   make run    start a local Neo4j, load the reference enterprise, serve the API
#   make test   lint, type-check, import contracts, and the whole test suite
# Both create .venv and install the project into it first (pip only; Maven fetches
# the Neo4j jars on first start).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install clean-neo4j

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/govroute up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

clean-neo4j:
	-$(BIN)/govroute neo4j stop
	rm -rf .govroute/neo4j
