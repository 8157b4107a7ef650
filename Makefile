# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.9.30

.PHONY: demo demo-council-accounts test test-slow test-browser test-pdf lint security check ci frontend lock benchmark load clean

# Create the virtual environment and make it exactly one lock (hashes checked), then the app:
# requirements.lock, what the app needs to run, for `make demo`; requirements-dev.lock, the same
# versions plus the test, lint, security and load tools, for everything else ($(BIN)/.installed).
# Each install removes the other's marker, so `make demo` after `make test` (and the reverse)
# syncs .venv again (seconds, from uv's cache).
define install-lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --require-hashes --python $(BIN)/python $(1)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
endef

$(BIN)/.installed-runtime: pyproject.toml requirements.lock
	$(call install-lock,requirements.lock)
	rm -f $(BIN)/.installed
	touch $@

$(BIN)/.installed: pyproject.toml requirements-dev.lock
	$(call install-lock,requirements-dev.lock)
	rm -f $(BIN)/.installed-runtime
	touch $@

demo: $(BIN)/.installed-runtime
	$(BIN)/practice-review demo --port $(PORT)

# The demo, signing in through the OpenID provider the tests use, on this computer
# (docs/signing-in.md#trying-it-on-your-computer): its people are qa.lead, reviewer, no.group...
OIDC_PORT ?= 9400
demo-council-accounts: $(BIN)/.installed-runtime node_modules/.installed
	node tests/oidc_provider/server.mjs --port $(OIDC_PORT) \
	  --redirect-uri http://127.0.0.1:$(PORT)/sign-in/council/callback/ \
	  --post-logout-redirect-uri http://127.0.0.1:$(PORT)/sign-in/ & \
	provider=$$!; trap 'kill $$provider 2>/dev/null' EXIT INT TERM; \
	OIDC_ISSUER=http://127.0.0.1:$(OIDC_PORT) OIDC_CLIENT_ID=practice-review \
	  OIDC_CLIENT_SECRET=practice-review-test-secret \
	  OIDC_ROLE_GROUPS=qa_lead=grp-qa-lead,reviewer=grp-reviewer \
	  PRACTICE_REVIEW_SITE_URL=http://127.0.0.1:$(PORT) \
	  $(BIN)/practice-review demo --port $(PORT)

# On every core (pytest-xdist). Property tests run the quick Hypothesis profile unless CI=true or
# HYPOTHESIS_PROFILE=ci (tests/conftest.py).
test: $(BIN)/.installed
	$(BIN)/pytest -n auto -m "not browser and not slow"
	@echo "Slow and browser tests are not part of 'make test': run 'make test-slow' (other"
	@echo "processes: kill -9, 20 writers, backups, command line) and 'make test-browser' (needs"
	@echo "Debian's chromium)."

# Tests that run the app in other processes, on every core. --dist loadfile runs each file's
# tests on one worker, so a module-scoped backup or workspace is made once; the files go out
# longest first (tests/conftest.py: LONGEST_FIRST).
# node_modules: the OpenID provider for the sign-in tests is node's oidc-provider (tests/oidc_provider).
test-slow: $(BIN)/.installed node_modules/.installed
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder -m slow

# Only the PDF tests (they are in `make test` too): WeasyPrint draws with Debian's Pango, and pypdf
# reads the PDFs back. libharfbuzz-subset0 makes font subsetting faster (README).
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
	$(BIN)/lint-imports
	$(BIN)/mypy
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

# Re-resolve both locks from pyproject.toml, with hashes. uv keeps the versions already in the
# file it writes (LOCK_ARGS=--upgrade-package=NAME moves one); the development lock is
# constrained to the runtime one, so tests run on exactly the versions `make demo` installs.
LOCK_ARGS ?=
COMPILE = $(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes
lock: $(BIN)/.installed
	$(COMPILE) pyproject.toml -o requirements.lock $(LOCK_ARGS)
	$(COMPILE) pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock $(LOCK_ARGS)

benchmark: $(BIN)/.installed
	$(BIN)/python benchmarks/import_and_figures.py
	$(BIN)/python benchmarks/report_documents.py
	$(BIN)/python benchmarks/sampling.py
	$(BIN)/python benchmarks/trends.py

# 50 simulated users against the real server on loopback for 2 minutes (benchmarks/load/);
# DATABASE_URL=postgres://... runs it on a throwaway database on that server.
load: $(BIN)/.installed
	$(BIN)/python benchmarks/load/run.py

clean:
	rm -rf $(VENV) node_modules
