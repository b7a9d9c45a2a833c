# Set-up, demo and tests. `make demo` and `make test` work on a fresh machine with python3.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
FUZZ_SECONDS ?= 60

.PHONY: setup demo test lint bench fuzz clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@# the decks name the bundled CJK font: installed for this user, so LibreOffice shows their Chinese
	$(PY) -m analysis fonts --install || echo "setup: the deck font is not installed (above); the rest works"
	touch $@

DEMO_YEAR ?= 2023

## demo: build data/clean/ from the bundled reports in data/raw/, then the DEMO_YEAR brief of every bureau
##       with a report that year (11 in 2023) and reports/index.html; prints the wall time
demo: setup
	@start=$$(date +%s); \
	$(PY) -m analysis ingest data/raw --out data/clean && \
	$(PY) -m analysis briefs --year $(DEMO_YEAR) --data data/clean --out reports; \
	status=$$?; echo "demo: $$(( $$(date +%s) - start )) s"; exit $$status

## test: the test suite (the command CI runs)
test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

bench: setup
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/store.py
	$(PY) benchmarks/corpus.py
	$(PY) benchmarks/briefs.py

## fuzz: mutated real reports for FUZZ_SECONDS (FUZZ_SEED=n to repeat a run); failures in fuzz-crashes/
fuzz: setup
	$(PY) benchmarks/fuzz.py --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

clean:
	rm -rf data/clean reports

-include mk/*.mk
