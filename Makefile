# `make run` and `make test` each set up .venv from nothing. A stamp named after
# pyproject.toml's hash skips reinstalling when nothing changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell sha256sum pyproject.toml | cut -c1-16)
RUN_STAMP := $(VENV)/.stamp-run-$(HASH)
DEV_STAMP := $(VENV)/.stamp-dev-$(HASH)
export DO_NOT_TRACK := 1
# The benchmarks measure PostgreSQL too; point this elsewhere, or at nothing to skip it.
export SWARMOPS_BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The PostgreSQL test cases run whenever a server answers here (they skip, saying so,
# when none does); point it elsewhere, or at nothing to skip them outright.
export SWARMOPS_TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-heavy bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(RUN_STAMP) $@

# The four stages on a demo swarm at work (embedded Prefect, workspace .swarmops/demo):
# one line per stage and step, then what the swarm did, read from the store.
run: $(RUN_STAMP)
	$(BIN)/swarmops demo

# Everything but the heavy end-to-end tests (real Prefect servers, gateway replicas and
# workers, many-process races, API fuzzing, a browser), which `make test-heavy` and
# .ci/run add.
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not heavy"

test-heavy: $(DEV_STAMP)
	$(BIN)/python -m pytest -m heavy

bench: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run_all.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy swarmops

clean:
	rm -rf $(VENV) .swarmops .pytest_cache .ruff_cache .mypy_cache
