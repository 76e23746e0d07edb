# compositepage: `make start` serves a demo site, `make test` runs the suite.
# PLONE=6.2 (the default) or PLONE=6.1 picks the Plone version; each version
# installs from its own lock (constraints-<version>.txt) into its own virtual
# environment and serves its own instance, so switching never mixes them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PLONE ?= 6.2
PYTHON ?= python3
# Everything that differs between the supported Plone versions, in one place.
ifeq ($(PLONE),6.2)
VENV := .venv
INSTANCE := instance
BENCH_ENV := benchmarks/.env
BUILDOUT_CFG := buildout.cfg
PORT ?= 8080
else ifeq ($(PLONE),6.1)
VENV := .venv-6.1
INSTANCE := instance-6.1
BENCH_ENV := benchmarks/.env-6.1
BUILDOUT_CFG := buildout-6.1.cfg
PORT ?= 8090
else
$(error PLONE=$(PLONE) is not supported: choose PLONE=6.2 (the default) or PLONE=6.1)
endif
BIN := $(VENV)/bin
LOCK := constraints-$(PLONE).txt
HOST ?= localhost
ADMIN_PASSWORD ?= admin
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: help
help: ## Show the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python setup.py $(LOCK)
	@echo "Installing the Plone $(PLONE) lock into $(VENV) (a few minutes the first time)..."
	$(PIP) install --quiet -c $(LOCK) pip setuptools wheel
	$(PIP) install --quiet -c $(LOCK) --no-build-isolation -e ".[test,dev]"
	$(PIP) check
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtual environment of PLONE and install its lock and compositepage

.PHONY: instance
instance: $(VENV)/.installed
	@$(BIN)/python scripts/instance.py $(INSTANCE) --host $(HOST) --port $(PORT) --admin-password '$(ADMIN_PASSWORD)'

# The site is created once; the marker spares later starts a Zope start-up.
$(INSTANCE)/var/site-created:
	@ADMIN_PASSWORD='$(ADMIN_PASSWORD)' PORT=$(PORT) $(BIN)/zconsole run $(INSTANCE)/etc/zope.conf scripts/create_site.py
	@touch $@

# The checks come first: a refused start leaves the instance as it was.
.PHONY: site
site: $(VENV)/.installed ## Create the demo site Plone (once)
	@$(BIN)/python scripts/preflight.py $(INSTANCE) --host $(HOST) --port $(PORT)
	@$(MAKE) -s --no-print-directory instance $(INSTANCE)/var/site-created

.PHONY: start
start: site ## Serve the demo site on http://localhost:8080/Plone (PLONE=6.1: :8090; PORT overrides)
	@echo "Serving Plone $(PLONE) at http://$(HOST):$(PORT)/Plone (Ctrl-C stops)"
	@$(BIN)/runwsgi $(INSTANCE)/etc/zope.ini

ZEO_PORT ?= $(shell echo $$(($(PORT) + 20)))
PG_PORT ?= $(shell echo $$(($(PORT) + 40)))
# zeo (the default) or postgresql; PG_DSN names an existing PostgreSQL
# database instead of the private server under $(INSTANCE)/var/postgresql.
STORAGE ?= zeo
PG_DSN ?=

# The extra compositepage[relstorage]: RelStorage and psycopg2, from the lock.
$(VENV)/.relstorage: $(VENV)/.installed
	$(PIP) install --quiet -c $(LOCK) --no-build-isolation -e ".[test,dev,relstorage]"
	$(PIP) check
	@touch $@

.PHONY: relstorage
relstorage: $(VENV)/.relstorage ## Install RelStorage and psycopg2 (the extra compositepage[relstorage])

.PHONY: postgresql
postgresql: ## Install Debian's PostgreSQL server when it is missing
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installing Debian's postgresql package for the cluster on RelStorage..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	fi

ifeq ($(STORAGE),zeo)
CLUSTER_NEEDS := site
else ifeq ($(STORAGE),postgresql)
CLUSTER_NEEDS := instance relstorage $(if $(PG_DSN),,postgresql)
endif

.PHONY: start-cluster
start-cluster: $(CLUSTER_NEEDS) ## Serve the demo site from one database through two instances (PORT, PORT+1); STORAGE=zeo|postgresql
	@case '$(STORAGE)' in zeo|postgresql) ;; *) echo "STORAGE=$(STORAGE) is not supported: choose STORAGE=zeo (the default) or STORAGE=postgresql"; exit 2;; esac
	@$(BIN)/python scripts/cluster.py $(INSTANCE) --storage $(STORAGE) --port $(PORT) \
	  --zeo-port $(ZEO_PORT) --pg-port $(PG_PORT) --dsn '$(PG_DSN)' --admin-password '$(ADMIN_PASSWORD)'

.PHONY: migrate-to-postgresql
migrate-to-postgresql: site relstorage $(if $(PG_DSN),,postgresql) ## Copy the demo's Data.fs and blobs into PostgreSQL (zodbconvert; CLEAR=1 replaces what is there)
	@$(BIN)/python scripts/migrate.py $(INSTANCE) --pg-port $(PG_PORT) --dsn '$(PG_DSN)' $(if $(CLEAR),--clear,)

.PHONY: chromium
chromium: ## Install Debian's Chromium for the browser tests when it is missing
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium package for the browser tests..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi

.PHONY: test
test: $(VENV)/.installed $(VENV)/.relstorage chromium postgresql ## Run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: screenshots
screenshots: $(VENV)/.installed chromium ## Regenerate the screenshots in docs/screenshots from the demo
	COMPOSITEPAGE_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/test_editor.py tests/test_editor_columns.py tests/test_homepage.py tests/test_linkintegrity.py tests/test_iterate.py tests/test_multilingual.py -k screenshots

.PHONY: docs-examples
docs-examples: $(VENV)/.installed ## Re-record the REST request/response examples in docs/rest-api/
	COMPOSITEPAGE_RECORD_DOCS=1 $(BIN)/pytest -q tests/test_restapi.py

MOSAIC_PINS := benchmarks/mosaic-pins-$(PLONE).txt

$(BENCH_ENV)/.installed: $(LOCK) $(MOSAIC_PINS) setup.py
	@echo "Building the benchmark environment (the Plone $(PLONE) lock plus plone.app.mosaic) ..."
	$(PYTHON) -m venv $(BENCH_ENV)
	$(BENCH_ENV)/bin/python -m pip --disable-pip-version-check install --quiet -c $(LOCK) pip setuptools wheel
	$(BENCH_ENV)/bin/python -m pip --disable-pip-version-check install --quiet -c $(LOCK) -c $(MOSAIC_PINS) --no-build-isolation -e . plone.app.mosaic plone.classicui matplotlib
	@touch $@

.PHONY: bench
bench: $(BENCH_ENV)/.installed ## Measure render and write costs against plain Plone and Mosaic (QUICK=1: short run)
	$(BENCH_ENV)/bin/python benchmarks/bench.py $(if $(QUICK),--quick,)

LOCUST_ENV := benchmarks/.locust-env
LOADTEST_SECONDS ?= 60

$(LOCUST_ENV)/.installed: benchmarks/locust-pins.txt
	@echo "Building the load test's environment (Locust, from benchmarks/locust-pins.txt) ..."
	$(PYTHON) -m venv $(LOCUST_ENV)
	$(LOCUST_ENV)/bin/python -m pip --disable-pip-version-check install --quiet -r benchmarks/locust-pins.txt
	@touch $@

.PHONY: loadtest
loadtest: $(VENV)/.relstorage $(LOCUST_ENV)/.installed $(if $(filter postgresql,$(STORAGE)),postgresql,) ## Locust against a throw-away cluster: visitors idle, beside 10 editors reading, and under 10 editors (3 rounds; STORAGE=zeo|postgresql; SPLIT=1: editors on an instance of their own)
	$(BIN)/python benchmarks/loadtest.py --locust $(LOCUST_ENV)/bin/locust --storage $(STORAGE) --seconds $(LOADTEST_SECONDS) $(if $(SPLIT),--split,)

FUZZ_EXAMPLES ?= 5000

.PHONY: fuzz
fuzz: $(VENV)/.installed ## The hypothesis fuzzers of every write path at depth (5,000 examples each; FUZZ_EXAMPLES overrides)
	COMPOSITEPAGE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -q -s tests/test_fuzz.py tests/test_fuzz_import.py --hypothesis-show-statistics

.PHONY: lint
lint: $(VENV)/.installed ## Check the code style (ruff, zpretty)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/zpretty --check $$(find src profiles -name '*.zcml' -o -name '*.xml' | grep -v node_modules)

.PHONY: format
format: $(VENV)/.installed ## Fix the code style (ruff, zpretty)
	$(BIN)/ruff check --fix src tests scripts benchmarks
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/zpretty -i $$(find src profiles -name '*.zcml' -o -name '*.xml' | grep -v node_modules)

.PHONY: changelog
changelog: $(VENV)/.installed ## Show the changelog towncrier would compile from news/
	$(BIN)/towncrier build --draft --version $$($(BIN)/python setup.py --version 2>/dev/null)

.PHONY: lock
lock: ## Regenerate the lock of PLONE (constraints-<version>.txt, versions-<version>.cfg) from a fresh install of scripts/pins/
	$(PYTHON) scripts/lock.py --plone $(PLONE)

.PHONY: buildout
buildout: ## Build bin/instance and bin/test with buildout instead (buildout.cfg; PLONE=6.1: buildout-6.1.cfg)
	$(PYTHON) -m venv buildout-env
	buildout-env/bin/python -m pip --disable-pip-version-check install --quiet -c $(LOCK) zc.buildout==4.1.4 setuptools wheel
	buildout-env/bin/buildout -c $(BUILDOUT_CFG)

.PHONY: clean
clean: ## Remove the virtual environment and the instance of PLONE (asks first)
	@read -r -p "Remove $(VENV) and $(INSTANCE) with its database? [y/N] " answer; \
	if [ "$$answer" = y ] || [ "$$answer" = Y ]; then rm -rf $(VENV) $(INSTANCE); echo removed; else echo kept; fi

LOCALES := src/compositepage/locales
LANGUAGES := de fr

.PHONY: i18n
i18n: $(VENV)/.installed ## Rebuild locales/compositepage.pot and sync the de and fr catalogues
	$(BIN)/i18ndude rebuild-pot --pot $(LOCALES)/compositepage.pot --create compositepage --exclude "tests_support" --no-line-numbers src/compositepage profiles
	@for lang in $(LANGUAGES); do \
	  mkdir -p $(LOCALES)/$$lang/LC_MESSAGES; \
	  [ -f $(LOCALES)/$$lang/LC_MESSAGES/compositepage.po ] || touch $(LOCALES)/$$lang/LC_MESSAGES/compositepage.po; \
	done
	$(BIN)/i18ndude sync --pot $(LOCALES)/compositepage.pot $(foreach lang,$(LANGUAGES),$(LOCALES)/$(lang)/LC_MESSAGES/compositepage.po)
