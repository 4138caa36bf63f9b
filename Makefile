# Two commands a newcomer needs: `make dataset` and `make test`.
# Both create the virtual environment first when it is missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dataset test refresh evaluate bench report clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

dataset: $(STAMP)
	$(PY) -m pipeline run --raw data/raw --out data/processed

# Scheduled refresh: fetch new articles from sources.toml, then rebuild only what changed.
refresh: $(STAMP)
	$(PY) -m pipeline fetch --sources sources.toml --raw data/raw
	$(PY) -m pipeline run --raw data/raw --out data/processed --quiet

# One page of charts and tables, data/processed/report/index.html, that opens offline
# (`make dataset` writes it too).
report: $(STAMP)
	$(PY) -m pipeline report --out data/processed

test: $(STAMP)
	$(PY) -m pytest -q

# Accuracy on the real material in ../shared: one table, plus data/processed/evaluation.json
# and data/processed/evaluation-errors.txt (every miss and extra, to improve the grammar from).
evaluate: $(STAMP)
	$(PY) -m pipeline.evaluate --out data/processed

# Speed and memory, as medians of several runs (see pipeline/bench.py); takes a while.
bench: $(STAMP)
	$(PY) -m pipeline.bench --runs 3 --large-mb 500

clean:
	rm -rf data/processed/* $(VENV)
