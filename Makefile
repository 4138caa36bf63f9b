# Two commands a newcomer needs: `make dataset` and `make test`.
# Both create the virtual environment first when it is missing, and install into it exactly
# the versions and hashes in requirements/ (the lock files): `make dataset` only what building
# the table needs, `make test` and `make bench` that plus their own extras.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# --no-deps: the lock already lists every package; --require-hashes: nothing else gets in.
INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r

.PHONY: dataset test refresh evaluate bench report lock clean

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

test: $(VENV)/.test
	$(PY) -m pytest -q

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
