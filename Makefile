# The two commands of the README:
#   make        set up .venv from the lock file and clean the sample corpus (data/raw -> data/clean)
#   make test   run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: all setup run test quality bench lock clean-output

all: run

setup: $(STAMP)

# Reinstall whenever the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m flows.clean --source data/raw --dest data/clean

test: $(STAMP)
	$(PY) -m pytest

# Cleaning quality on the evaluation data beside the checkout (../shared), if it is there.
quality: $(STAMP)
	$(PY) bench/quality.py

# Speed and memory on a synthetic corpus (bench/speed.py); the JSON lands in bench/results/.
BENCH_DOCS ?= 50000
bench: $(STAMP)
	$(PY) bench/speed.py --docs $(BENCH_DOCS)

# Re-resolve the pinned set from pyproject.toml's ranges (needs the package index).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]" "setuptools>=68" wheel
	.lock-venv/bin/pip freeze --exclude-editable --all | grep -v '^clean-corpus' | grep -v '^pip==' > requirements.lock
	rm -rf .lock-venv

clean-output:
	rm -rf data/clean
