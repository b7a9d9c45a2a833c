# The package as a user installs it. Included from the Makefile; CI runs `make wheel-check` after `make test`.
#   builds the wheel, installs it into a fresh venv outside the checkout (dependencies through pip's cache),
#   and from a temporary folder runs extract, ingest and brief on the bundled reports (tests/wheel_check.sh)
PYTHON ?= python3

.PHONY: wheel-check

wheel-check:
	PYTHON=$(PYTHON) bash tests/wheel_check.sh
