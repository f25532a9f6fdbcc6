# The two commands a newcomer needs: `make run` and `make test`.
# Everything is installed from this repository's own files into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run dev cluster cluster-stop test test-postgresql bench lint format install fonts browser tools e2e clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) fonts

## The State's design system (DSFR) from npm (design/package-lock.json): the
## Marianne typeface and the bloc-marque's stylesheet, copied into the app's
## static files (src/tracker/ui/static/dsfr/, served at /app/static/dsfr/),
## never fetched from a CDN. Debian's nodejs/npm are installed first if missing.
DESIGN := design
DSFR := $(DESIGN)/node_modules/@gouvfr/dsfr/dist
DSFR_STATIC := src/tracker/ui/static/dsfr
MARIANNE := Light Regular Regular_Italic Medium Bold Bold_Italic
$(DESIGN)/node_modules/.installed: $(DESIGN)/package.json $(DESIGN)/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	cd $(DESIGN) && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $@

$(DSFR_STATIC)/.installed: $(DESIGN)/node_modules/.installed
	mkdir -p $(DSFR_STATIC)/fonts
	for weight in $(MARIANNE); do cp $(DSFR)/fonts/Marianne-$$weight.woff2 $(DSFR_STATIC)/fonts/; done
	cp $(DSFR)/component/logo/logo.min.css $(DSFR)/../LICENSE.md $(DSFR_STATIC)/
	touch $@

fonts: $(DSFR_STATIC)/.installed

## Start the app on the embedded SQLite database, with demonstration data,
## configured for serving (.streamlit/config.toml: no per-run garbage
## collection, no source watching; figures in docs/performance.md).
run: install
	TRACKER_DEMO=1 $(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

## The same while editing the code: source files watched, the page re-run on
## save (slower per run: not for serving).
dev: install
	TRACKER_DEMO=1 $(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
	  --server.fileWatcherType auto --server.runOnSave true

## The deployment of deploy/ tried on loopback: N app servers on one
## PostgreSQL schema behind Debian's nginx with a certificate made on the spot,
## on https://127.0.0.1:$(CLUSTER_PORT)/ ; `make cluster-stop` removes it all.
N ?= 2
CLUSTER_PORT ?= 8443
CLUSTER_APP_PORT ?= 8511
cluster: install
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || \
	  (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null)
	$(BIN)/python deploy/cluster.py start --servers $(N) --port $(CLUSTER_PORT) --app-port $(CLUSTER_APP_PORT)

cluster-stop: install
	$(BIN)/python deploy/cluster.py stop

## Debian's Chromium, for the tests that use a real browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) || \
	  echo "chromium could not be installed: browser tests will be skipped"; }

## axe-core from npm (tests/e2e/package-lock.json), injected into every page by
## the accessibility tests, and oidc-provider, the OpenID Connect provider the
## single sign-on test starts; Debian's nodejs/npm are installed first if missing.
E2E := tests/e2e
$(E2E)/node_modules/.installed: $(E2E)/package.json $(E2E)/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	cd $(E2E) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

e2e: $(E2E)/node_modules/.installed

## poppler's pdftotext/pdfinfo, for the tests that read the PDF briefing back;
## Debian's nginx, for the tests through deploy/nginx/tracker.conf.
tools:
	@command -v pdftotext >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) || \
	  echo "poppler-utils could not be installed: PDF tests will be skipped"; }
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null) || \
	  echo "nginx could not be installed: tests through nginx will be skipped"; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Lint, then the whole suite (SQLite, this machine's PostgreSQL, AppTest, browser).
## `-n auto`: one worker per core (pytest-xdist); every test has its own
## database, port and files, so they run in any order, in parallel.
test: install browser tools e2e lint
	$(BIN)/python -m pytest -n auto

## The whole suite again with this machine's PostgreSQL as the app's database:
## pages, command line, import, the browser's app servers. (Tests about both
## backends already run on both in `make test`; SQLite-only tests stay SQLite.)
test-postgresql: install browser tools e2e
	TRACKER_TEST_DATABASE=postgresql $(BIN)/python -m pytest -n auto

## Benchmark (never part of `make test`): figures appended to docs/performance.md.
## BENCH_ARGS="--sizes 1000,10000 --backends sqlite" for a shorter run.
## BENCH_ARGS="--serving-only" for the side-by-side serving comparison alone
## (Lighthouse from bench/package-lock.json; Chromium from Debian).
BENCH_ARGS ?=
bench: install browser bench/node_modules/.installed
	$(BIN)/python bench/run.py --out docs/performance.md $(BENCH_ARGS)

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache test-artifacts $(E2E)/node_modules bench/node_modules \
	  $(DESIGN)/node_modules $(DSFR_STATIC)
