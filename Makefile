# Set-up and the two everyday commands: `make demo` and `make test` (both create .venv if needed).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.claimledger-installed

.PHONY: install demo test lint bench clean browser postgres

$(STAMP): pyproject.toml requirements/runtime.lock requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/runtime.lock
	$(PIP) install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) scripts/demo.py

test: $(STAMP) browser postgres lint
	CLAIMLEDGER_REQUIRE_POSTGRES=1 $(PY) -m pytest -q -p no:cacheprovider

# ruff over everything we write; mypy over src/ against the ratchet (types/mypy-baseline.txt may only shrink).
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts
	$(PY) scripts/check_types.py

# Debian's PostgreSQL for the store tests (tests/postgres_server.py starts a throw-away server on loopback).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) || echo "warning: could not install postgresql; the PostgreSQL store tests will fail" >&2

# Debian's chromium for the web end-to-end tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || echo "warning: could not install chromium; the browser tests will skip (and fail under CI=true)" >&2

bench: $(STAMP)
	$(PY) bench/throughput.py --processes 1 2

clean:
	rm -rf $(VENV) build src/*.egg-info bench/out
