# The vanishing-gradient explainer. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
ADDR ?= 127.0.0.1:8000
CHROMIUM := /usr/bin/chromium

.PHONY: help setup figures site serve test determinism bench lighthouse linkcheck lock clean browser

help:
	@echo "make setup    create .venv with the pinned packages (other targets do this too)"
	@echo "make figures  run the JAX figure scripts whose inputs changed"
	@echo "make site     figures, then mkdocs build --strict into site/"
	@echo "make serve    figures, then mkdocs serve on $(ADDR) (reruns saved scripts)"
	@echo "make test     figures, then the test suite (installs Chromium if absent)"
	@echo "make determinism  rerun every figure script from scratch: byte-identical files"
	@echo "make bench    cold/warm figures, build time, page weights, core path, Lighthouse"
	@echo "make lighthouse  Lighthouse scores of every page (mobile, median of 3 runs)"
	@echo "make linkcheck  check the built site's external links (needs the internet; not in CI)"
	@echo "make lock     re-resolve constraints.txt from requirements.txt"
	@echo "make clean    remove generated figures, site and caches"

# The library (scripts/vanishing, packaged by scripts/pyproject.toml) is installed in
# editable mode: figure scripts, tests, hooks and notebooks import it from the venv, and an
# edit to it takes effect at once. flit_core (pinned) builds it, so nothing is downloaded.
$(VENV)/.installed: requirements.txt constraints.txt scripts/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable scripts
	touch $@

# The build-time math tools (Temml, speech-rule-engine, the STIX Two Math font), pinned by
# package-lock.json. Node and npm come from Debian when the machine lacks them.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

figures: $(VENV)/.installed
	$(BIN)/python -m vanishing.runner

# Build into a scratch folder and swap it in only when the build succeeded, so a failed
# build never leaves a half-written site/ behind.
site: figures node_modules/.installed
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict --site-dir site.tmp
	rm -rf site && mv site.tmp site

serve: figures node_modules/.installed
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

# Browser tests drive Debian's Chromium; install it when the machine lacks it.
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }

test: figures browser node_modules/.installed
	$(BIN)/python -m pytest

# A second run of every figure script from scratch must write byte-identical files (a
# cold `make figures` on one core, so not in `make test`; CI runs both).
determinism: figures
	$(BIN)/python -m pytest -m rerun -n 0

tools/lighthouse/node_modules/.installed: tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: $(VENV)/.installed node_modules/.installed browser tools/lighthouse/node_modules/.installed
	$(BIN)/python tools/bench.py
	$(BIN)/python tools/lighthouse.py

lighthouse: figures browser node_modules/.installed tools/lighthouse/node_modules/.installed
	$(BIN)/python tools/lighthouse.py

linkcheck: site
	$(BIN)/python tools/linkcheck.py

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.txt
	{ echo "# Every package of the environment, resolved and pinned: make lock regenerates it from requirements.txt."; \
	  .lock-venv/bin/pip freeze --exclude-editable | sort -f; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf figures site site.tmp .cache .pytest_cache node_modules tools/lighthouse/node_modules
