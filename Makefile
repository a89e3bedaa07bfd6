# Two commands matter: `make run` (demo app on SQLite) and `make test` (lint, types, whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PYTHON ?= python3
export DONDOC_ALLOW_CLOCK_OVERRIDE ?= 1

.PHONY: setup run test lint typecheck pytest assets translations browser lock clean

setup: $(VENV)/.setup-stamp assets translations

$(VENV)/.setup-stamp: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

assets: node_modules/.install-stamp

node_modules/.install-stamp: package.json package-lock.json $(wildcard app/static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/copy_assets.mjs
	node scripts/build_assets.mjs
	touch $@

# English catalogue: the .mo is generated from the committed .po, never committed itself.
translations: $(VENV)/.setup-stamp
	$(PY) -c "from app.i18n import compile_catalogues; compile_catalogues()"

# Browser tests drive Debian's chromium; install it when missing (CI machines start without it).
browser:
	bash scripts/ensure_chromium.sh

run: setup
	$(FLASK) init --demo
	@echo "DonDoc: http://127.0.0.1:5000  (tài khoản mẫu ở trên)"
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: setup
	$(VENV)/bin/ruff check app tests scripts

typecheck: setup
	$(VENV)/bin/mypy app

pytest: setup browser
	bash scripts/ensure_libreoffice.sh
	bash scripts/run_pytest.sh

test: lint typecheck pytest

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) node_modules app/static/vendor
