# Baken: `make run` serves the demo region, `make test` runs the whole suite, `make lock`
# regenerates the lock files after a change to the dependencies in pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install lock run test lint format css messages clean

install: $(VENV)/.installed

# Exactly the versions of the lock file (requirements/dev.txt: runtime and dev, with hashes),
# first without resolving (an older pip, such as 23.2, refuses the lock's extras such as
# CacheControl[filecache] in hash mode; the lock's own pip replaces it), then resolved as a check,
# then Baken itself without dependencies, built by the locked setuptools. Runs again only when
# pyproject.toml or a lock file changes.
$(VENV)/.installed: pyproject.toml requirements/runtime.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Baken needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(MAKE) --no-print-directory css
	@touch $@

# Regenerate requirements/*.txt from pyproject.toml (pip-compile, hashes), keeping the pins
# that still fit; `scripts/lock.sh --upgrade` takes the newest allowed versions instead.
lock: install
	scripts/lock.sh

# Rebuild the NL Design System stylesheet from npm when npm can; otherwise the committed
# build in baken/static/baken/vendor/ serves as it is.
css:
	@if command -v npm >/dev/null 2>&1 && (cd frontend && npm ci --silent --no-audit --no-fund >/dev/null 2>&1); then \
		(cd frontend && node build.mjs) && echo "css: built from npm packages"; \
	else echo "css: npm not available, using the committed stylesheet"; fi

run: install
	$(BIN)/baken migrate --no-input
	$(BIN)/baken collectstatic --no-input --verbosity 0
	BAKEN_DEMO_MODE=true $(BIN)/baken demo
	@echo "Baken serves on http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/werk/)"
	BAKEN_DEMO_MODE=true $(BIN)/baken serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd baken && ../$(BIN)/baken makemessages --locale nl --no-obsolete --no-location
	cd baken && ../$(BIN)/baken compilemessages --locale nl

clean:
	rm -rf $(VENV) var
