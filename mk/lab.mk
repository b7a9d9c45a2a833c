# JupyterLab with the project's kernel. Included from the Makefile; `make lab` opens notebooks/.
#   - `make setup` also registers the venv as the Jupyter kernel "govreport (project)" (name: govreport) inside
#     the venv (--sys-prefix: no other checkout's kernel is replaced) and installs nbstripout as this
#     clone's git filter for *.ipynb (.gitattributes), so a notebook saved after a run is committed without
#     its outputs
#   - `make lab` installs the `lab` extra (jupyterlab), writes the venv's Jupyter settings (one entry per
#     notebook: the paired .py files are hidden; names not cut short), builds data/clean from data/raw if
#     it is missing, and opens JupyterLab on notebooks/ (with --allow-root when run as root; LAB_ARGS are
#     passed on, e.g. `make lab LAB_ARGS="--no-browser --port 8899"`)
VENV ?= .venv
PY ?= $(VENV)/bin/python
PYTHON ?= python3
LAB_KERNEL ?= govreport
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# what the git filter strips besides outputs and execution counts (cell ids are kept: jupytext pairs by them)
NBSTRIPOUT := -m nbstripout --keep-id --extra-keys "metadata.language_info metadata.papermill cell.metadata.papermill cell.metadata.execution"

.PHONY: lab lab-setup lab-data notebooks-sync kernel git-filter

setup: $(VENV)/.kernel git-filter

lab: lab-setup lab-data
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ROOT) $(LAB_ARGS)

lab-setup: $(VENV)/.lab-installed $(VENV)/.kernel

$(VENV)/.lab-installed: pyproject.toml mk/lab/jupyter_server_config.json mk/lab/overrides.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e ".[lab]"
	mkdir -p $(VENV)/etc/jupyter $(VENV)/share/jupyter/lab/settings
	cp mk/lab/jupyter_server_config.json $(VENV)/etc/jupyter/jupyter_server_config.json
	cp mk/lab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

# the kernel notebooks name in their metadata ("govreport"), registered inside this venv
$(VENV)/.kernel: $(VENV)/.installed
	$(PY) -m ipykernel install --sys-prefix --name $(LAB_KERNEL) --display-name "govreport (project)"
	touch $@

# nbstripout as the clean filter of *.ipynb (named in .gitattributes); the venv path stays relative, so each
# checkout or worktree strips with its own venv. Skipped outside a git work tree (an unpacked sdist).
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(PY) $(NBSTRIPOUT)' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required false && \
	  echo "git filter nbstripout: notebooks are committed without outputs"; \
	fi

lab-data:
	test -f data/clean/reports.parquet || test -f data/clean/CURRENT || $(PY) -m analysis ingest data/raw --out data/clean

# after editing a notebook's .py (or .ipynb) outside Jupyter: bring its pair up to date
notebooks-sync:
	$(VENV)/bin/jupytext --sync notebooks/*.py src/analysis/briefs/yearly_brief.py
