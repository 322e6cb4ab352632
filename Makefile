# make run        the site with demo data on the embedded SQLite database, http://127.0.0.1:8000
# make test       the whole test suite (DATABASE_URL=postgres://… runs it on PostgreSQL)
# make test-fast  the local loop: the suite without the tests marked `browser` (Chromium)
#                 or `slow` (subprocesses, live servers), on every CPU, in under two minutes
# PYTEST_ARGS     passed on to pytest, e.g. make test PYTEST_ARGS='-m "not browser"'
# make messages   after changing user-facing texts: the new ones into the .po files (nb, da, en)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

# Debian packages: what the application needs (WeasyPrint's Pango, fonts for reports and
# charts; Tesseract with Swedish, Norwegian and English and Poppler's pdftoppm to read
# scanned reports), and what the tests add (Chromium for browser tests, LibreOffice to
# open the generated DOCX files with a real tool).
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
  tesseract-ocr tesseract-ocr-swe tesseract-ocr-nor tesseract-ocr-eng poppler-utils
TEST_PACKAGES := chromium libreoffice-writer-nogui fonts-crosextra-carlito

.PHONY: install run test test-fast test-postgres runtime-packages test-packages messages clean

# The translations (src/kompass/locale/<language>/LC_MESSAGES/django.po), compiled for gettext.
LOCALES := nb da en
MO_FILES := $(LOCALES:%=src/kompass/locale/%/LC_MESSAGES/django.mo)

install: runtime-packages $(VENV)/.installed $(MO_FILES)

%.mo: %.po
	msgfmt --check-format -o $@ $<

messages: $(VENV)/.installed
	cd src/kompass && ../../$(BIN)/django-admin makemessages --settings=kompass.settings --pythonpath=.. \
	  $(LOCALES:%=-l %) -e html,py,txt --add-location file --no-obsolete

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

test: install test-packages node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# No Chromium and no axe-core needed; Poppler and LibreOffice still open reports.
test-fast: install test-packages
	$(BIN)/pytest -n auto -m "not browser and not slow" $(PYTEST_ARGS)

# axe-core (accessibility checks in Chromium) from the npm registry, as package-lock.json pins it.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || scripts/debian-packages npm
	npm ci --no-audit --no-fund --silent
	@touch $@

test-postgres: install test-packages node_modules/.installed
	eval "$$(scripts/postgres start)" && $(BIN)/pytest $(PYTEST_ARGS); status=$$?; scripts/postgres stop; exit $$status

runtime-packages:
	@scripts/debian-packages $(RUNTIME_PACKAGES)

test-packages:
	@scripts/debian-packages $(TEST_PACKAGES)

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
