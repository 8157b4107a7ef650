# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.9.30

.PHONY: demo test test-slow test-browser test-pdf lint security check ci frontend lock benchmark load clean

# Create the virtual environment and install the locked dependencies when they change.
$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

demo: $(BIN)/.installed
	$(BIN)/practice-review demo --port $(PORT)

# On every core (pytest-xdist). Property tests run the quick Hypothesis profile unless CI=true or
# HYPOTHESIS_PROFILE=ci (tests/conftest.py).
test: $(BIN)/.installed
	$(BIN)/pytest -n auto -m "not browser and not pdf and not slow"
	@echo "Slow, browser and PDF tests are not part of 'make test': run 'make test-slow' (other"
	@echo "processes: kill -9, 20 writers, backups, command line), 'make test-browser' (needs"
	@echo "Debian's chromium) and 'make test-pdf' (needs libharfbuzz-subset0 and poppler-utils)."

# Tests that run the app in other processes, on every core. --dist loadfile runs each file's
# tests on one worker, so a module-scoped backup or workspace is made once; the files go out
# longest first (tests/conftest.py: LONGEST_FIRST).
test-slow: $(BIN)/.installed
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder -m slow

# PDF reports: WeasyPrint needs Debian's Pango and HarfBuzz; pdftotext reads the PDFs back.
test-pdf: $(BIN)/.installed
	$(BIN)/pytest -m pdf

# Browser journeys: need Debian's Chromium at /usr/bin/chromium and axe-core from npm.
test-browser: $(BIN)/.installed node_modules/.installed
	$(BIN)/pytest -m browser tests/functional

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The deploy check runs with production settings as a deployment has them: HTTPS on (no demo,
# no PRACTICE_REVIEW_HTTPS), a long random SECRET_KEY and a real host name.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/practice-review check --fail-level WARNING
	env -u PRACTICE_REVIEW_HTTPS PRACTICE_REVIEW_DEMO_MODE=false DEBUG=false \
	  ALLOWED_HOSTS=practice-review.example.gov.uk \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/practice-review check --deploy --fail-level WARNING
	$(BIN)/practice-review makemigrations --check --dry-run

# Security lint of our code, and known vulnerabilities in the locked dependencies (says so
# plainly when the vulnerability service cannot be reached, rather than passing in silence).
security: $(BIN)/.installed
	$(BIN)/bandit -q -r practice_review -c pyproject.toml
	$(BIN)/python scripts/audit_dependencies.py

# Rebuild the pinned GOV.UK Frontend assets in practice_review/core/static/govuk/.
frontend: node_modules/.installed
	bash scripts/build-frontend.sh

# Re-resolve requirements.lock from pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/import_and_figures.py
	$(BIN)/python benchmarks/report_documents.py

# 50 simulated users against the real server on loopback for 2 minutes (benchmarks/load/);
# DATABASE_URL=postgres://... runs it on a throwaway database on that server.
load: $(BIN)/.installed
	$(BIN)/python benchmarks/load/run.py

clean:
	rm -rf $(VENV) node_modules
