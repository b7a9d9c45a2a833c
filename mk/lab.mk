# JupyterLab with the project's kernel. Included from the Makefile; `make lab` opens notebooks/.
#   - installs the `lab` extra (jupyterlab) into the venv, with the package editable so notebooks import it
#   - registers the venv as the Jupyter kernel "govreport (project)" (name: govreport)
#   - builds data/clean from data/raw if it is missing, so every notebook runs with its defaults
VENV ?= .venv
PY ?= $(VENV)/bin/python
PYTHON ?= python3
LAB_KERNEL ?= govreport

.PHONY: lab lab-setup lab-data notebooks-sync

lab: lab-setup lab-data
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

lab-setup: $(VENV)/.lab-installed

$(VENV)/.lab-installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[lab]"
	$(PY) -m ipykernel install --user --name $(LAB_KERNEL) --display-name "govreport (project)"
	touch $@

lab-data:
	test -f data/clean/reports.parquet || $(PY) -m analysis ingest data/raw --out data/clean

# after editing a notebook's .py (or .ipynb) outside Jupyter: bring its pair up to date
notebooks-sync:
	$(VENV)/bin/jupytext --sync notebooks/*.py src/analysis/briefs/yearly_brief.py
