# make run    the site with demo data on the embedded SQLite database, http://127.0.0.1:8000
# make test   the whole test suite (DATABASE_URL=postgres://… runs it on PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

CHROMIUM ?= /usr/bin/chromium

.PHONY: install run test test-postgres chromium clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: sudo apt-get install -y python3 python3-venv"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed, $(PYTHON) is older"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { echo "Python's venv module is missing: sudo apt-get install -y python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: install
	$(BIN)/kompass demo

test: install chromium
	$(BIN)/pytest

# The browser tests use Debian's Chromium (never a downloaded browser build).
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install -y chromium fonts-dejavu-core"; exit 1; \
	  fi; }

test-postgres: install chromium
	eval "$$(scripts/postgres start)" && $(BIN)/pytest; status=$$?; scripts/postgres stop; exit $$status

clean:
	rm -rf $(VENV) var .pytest_cache
