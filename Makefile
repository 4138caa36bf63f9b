# Two commands a newcomer needs: `make dataset` and `make test` (`make test-fast` while editing).
# Both create the virtual environment first when it is missing, and install into it exactly
# the versions and hashes in requirements/ (the lock files): `make dataset` only what building
# the table needs, `make test` and `make bench` that plus their own extras.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# --no-deps: the lock already lists every package; --require-hashes: nothing else gets in.
INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r

.PHONY: dataset test test-fast check refresh evaluate bench report lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.dataset: requirements/dataset.txt | $(PY)
	$(INSTALL) requirements/dataset.txt
	touch $@

$(VENV)/.test: requirements/test.txt | $(PY)
	$(INSTALL) requirements/test.txt
	touch $@

$(VENV)/.bench: requirements/bench.txt | $(PY)
	$(INSTALL) requirements/bench.txt
	touch $@

dataset: $(VENV)/.dataset
	$(PY) -m pipeline run --raw data/raw --out data/processed

# Scheduled refresh: fetch new articles from sources.toml, then rebuild only what changed.
refresh: $(VENV)/.dataset
	$(PY) -m pipeline fetch --sources sources.toml --raw data/raw
	$(PY) -m pipeline run --raw data/raw --out data/processed --quiet

# One page of charts and tables, data/processed/report/index.html, that opens offline
# (`make dataset` writes it too).
report: $(VENV)/.dataset
	$(PY) -m pipeline report --out data/processed

# The fast tier (grammar, numbers, schema, prefilter, ... : under half a minute) first, then the
# end-to-end tier (runs of the pipeline on real corpora, the browser, injected faults: minutes).
test: test-fast
	$(PY) -m pytest -q -m e2e

test-fast: $(VENV)/.test
	$(PY) -m pytest -q -m "not e2e"

# Lint, format and types, as configured in pyproject.toml ([tool.ruff], [tool.mypy]).
check: $(VENV)/.test
	$(VENV)/bin/ruff check pipeline tests tools
	$(VENV)/bin/ruff format --check pipeline tests tools
	$(VENV)/bin/mypy

# Accuracy on the real material in ../shared: one table, plus data/processed/evaluation.json
# and data/processed/evaluation-errors.txt (every miss and extra, to improve the grammar from).
evaluate: $(VENV)/.dataset
	$(PY) -m pipeline.evaluate --out data/processed

# Speed and memory, as medians of several runs (see pipeline/bench.py); takes a while.
bench: $(VENV)/.bench
	$(PY) -m pipeline.bench --runs 3 --large-mb 500

# Re-resolve the lock files from pyproject.toml's ranges (newest versions they allow).
lock: | $(PY)
	$(PY) -m pip install --quiet uv==0.13.8
	for set in dataset:"" test:"--extra dev" bench:"--extra bench"; do \
	  $(VENV)/bin/uv pip compile pyproject.toml $${set#*:} --generate-hashes --python-version 3.11 \
	    --no-annotate --custom-compile-command "make lock" --quiet -o requirements/$${set%%:*}.txt; \
	done

clean:
	rm -rf data/processed/* $(VENV)
