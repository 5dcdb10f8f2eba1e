# Two commands on a fresh machine: `make run` serves the portal, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VNU_VERSION := 26.9.27

.PHONY: run test venv lint messages benchmark benchmark-diagnostic screenshots clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@# The Nu HTML Checker for the HTML validity tests (from the npm registry; needs java and npm).
	@if command -v npm >/dev/null && [ ! -f $(VENV)/vnu/vnu.jar ]; then \
	  mkdir -p $(VENV)/vnu && cd $(VENV)/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
	  tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && mv package/build/dist/vnu.jar . && rm -rf package *.tgz; \
	fi
	touch $(STAMP)

venv: $(STAMP)

# Embedded mode: SQLite, Celery eager, e-mails on the console and in the in-app inbox.
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py seed --demo
	$(PY) manage.py ensure_staff
	@echo "Serving http://127.0.0.1:8000 (periodic jobs run beside the server; Ctrl-C stops both)"
	@trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py run_periodic & periodic=$$!; \
	  $(PY) manage.py runserver 127.0.0.1:8000

test: venv
	PY=$(PY) scripts/test.sh $(ARGS)

# Full-page screenshots of the main pages at 390 and 1280 px, French and English (Chromium).
screenshots: venv
	PY=$(PY) scripts/test.sh tests/e2e/test_screenshots.py -m screenshots -q -s
	@echo "Screenshots in var/screenshots/"

lint: venv
	$(PY) -m ruff check .

# Regenerate the catalogues after changing translatable strings (needs GNU gettext).
messages: venv
	$(PY) manage.py makemessages -l fr -l en --ignore=.venv --ignore=expeditions --ignore=contests --ignore=mooc --ignore=measures --ignore=diagnostic --ignore=api --ignore=organisations --ignore=billing --ignore=tests
	for app in organisations expeditions contests mooc measures diagnostic api billing; do (cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l fr -l en); done

# Expeditions and the open-data API's lists under load (PostgreSQL at 127.0.0.1:5432, separate databases
# portal_bench and portal_bench_api; the cache in
# Redis database 9, emptied first: BENCH_REDIS_URL= for a per-process cache); not part of `make test`.
benchmark: venv
	$(PY) manage.py compile_translations >/dev/null
	$(PY) scripts/benchmark_expeditions.py
	$(PY) scripts/benchmark_api.py

# The public barometer against the same floor (separate database portal_bench_diagnostic).
benchmark-diagnostic: venv
	$(PY) manage.py compile_translations >/dev/null
	$(PY) scripts/benchmark_diagnostic.py

clean:
	rm -rf $(VENV) var staticfiles
