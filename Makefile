# Two commands set everything up on a fresh machine:
#   make run    start a local Neo4j, load the reference enterprise, serve the API
#   make test   lint, type-check, import contracts, and the whole test suite
# Both create .venv and install the project into it first (pip only; Maven fetches
# the Neo4j jars on first start).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install redis promtool chromium curl clean-neo4j

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

# The shared rate-limit tests run a real Redis; Debian's package when it is missing.
redis:
	@command -v redis-server >/dev/null || { \
	  echo "installing redis-server from Debian for the rate-limit tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } \
	    >/dev/null || { echo "could not install redis-server: install Debian's package"; exit 1; }; }

# The alert-rule tests run `promtool check rules` and `promtool test rules`; Debian's
# prometheus package ships it. No recommends (node-exporter is a daemon), and Debian's
# policy-rc.d on these images keeps the prometheus service from starting.
promtool:
	@command -v promtool >/dev/null || { \
	  echo "installing promtool (Debian's prometheus) for the alert-rule tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      -o DPkg::Lock::Timeout=300 --no-install-recommends prometheus; } \
	    >/dev/null || { echo "could not install promtool: install Debian's prometheus"; exit 1; }; }

# The console's browser tests drive Debian's chromium through Playwright (never a browser
# download of Playwright's own).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing chromium from Debian for the console's browser tests"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	    >/dev/null || { echo "could not install chromium: install Debian's package"; exit 1; }; }

# The gateway's client matrix runs the curl binary against every format, as the docs do.
curl:
	@command -v curl >/dev/null || { \
	  echo "installing curl from Debian for the gateway's client matrix"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl; } \
	    >/dev/null || { echo "could not install curl: install Debian's package"; exit 1; }; }

test: lint redis promtool chromium curl
	$(BIN)/pytest

clean-neo4j:
	-$(BIN)/govroute neo4j stop
	rm -rf .govroute/neo4j
