# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.9.30

.PHONY: demo test test-browser test-pdf lint check ci frontend lock benchmark clean

# Create the virtual environment and install the locked dependencies when they change.
$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

demo: $(BIN)/.installed
	$(BIN)/practice-review demo --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/pytest
	@echo "Browser journeys and PDF tests are not part of 'make test': run 'make test-browser'"
	@echo "(needs Debian's chromium) and 'make test-pdf' (needs libharfbuzz-subset0 and poppler-utils)."

# PDF reports: WeasyPrint needs Debian's Pango and HarfBuzz; pdftotext reads the PDFs back.
test-pdf: $(BIN)/.installed
	$(BIN)/pytest -m pdf

# Browser journeys: need Debian's Chromium at /usr/bin/chromium and axe-core from npm.
test-browser: $(BIN)/.installed node_modules/.installed
	$(BIN)/pytest -m browser tests/functional

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/practice-review check --fail-level WARNING
	$(BIN)/practice-review makemigrations --check --dry-run

# Rebuild the pinned GOV.UK Frontend assets in practice_review/core/static/govuk/.
frontend: node_modules/.installed
	bash scripts/build-frontend.sh

# Re-resolve requirements.lock from pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/import_and_figures.py
	$(BIN)/python benchmarks/report_documents.py

clean:
	rm -rf $(VENV) node_modules
