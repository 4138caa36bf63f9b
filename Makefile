# Two commands a newcomer needs: `make dataset` and `make test`.
# Both create the virtual environment first when it is missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: dataset test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

dataset: $(STAMP)
	$(PY) -m pipeline run --raw data/raw --out data/processed

test: $(STAMP)
	$(PY) -m pytest -q

clean:
	rm -rf data/processed/* $(VENV)
