# segdsl developer tasks. Recipes are POSIX sh and set up everything they need themselves:
#   make test       all tiers (DuckDB, Postgres, ZetaSQL/BigQuery, Spark, ClickHouse), never
#                   skipping an engine
#   make test-fast  DuckDB-only tier: -m "not postgres and not zetasql and not spark and not
#                   clickhouse and not slow"
#   make demo       run `segdsl demo`
#   make install    create .venv and install the package with its dev extras (when needed)
# Extra pytest arguments: make test PYTEST_ARGS="-x -k smoke"

SHELL := /bin/sh
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.segdsl-install-stamp
PYTEST_ARGS ?=
FAST_MARKERS := not postgres and not zetasql and not spark and not clickhouse and not slow

# Do not let the caller's Python settings leak into the venv or the tests.
unexport PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install .venv postgres-bin chromium-bin java-bin test test-fast demo bench fuzz clean distclean

help:
	@echo "targets: install  postgres-bin  chromium-bin  java-bin  test  test-fast  demo  bench  fuzz  clean  distclean"

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes; otherwise the stamp keeps `make` instant.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

.venv: install

# Postgres server binaries for the postgres tier: Debian's package, else the pgserver wheel.
postgres-bin: install
	@if [ -n "$${SEGDSL_PG_DSN:-}" ]; then \
		echo "postgres-bin: SEGDSL_PG_DSN is set, the tests use that server"; exit 0; \
	fi; \
	if found=$$($(VPY) tests/support/pg_server.py find-bin 2>/dev/null); then \
		echo "postgres-bin: $$found"; exit 0; \
	fi; \
	echo "postgres-bin: no Postgres server binaries found, installing them"; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get update \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; then \
		:; \
	else \
		echo "postgres-bin: apt-get not usable, falling back to the pgserver wheel"; \
		$(VPY) -m pip install pgserver; \
	fi; \
	found=$$($(VPY) tests/support/pg_server.py find-bin) || { \
		echo "postgres-bin: still no Postgres server binaries" >&2; exit 1; }; \
	echo "postgres-bin: $$found"

# Headless Chromium for the HTML report test (Debian's package; root, as in CI).
chromium-bin:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium-bin: $$(command -v chromium)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "chromium-bin: run as root: apt-get install -y chromium" >&2; exit 1; fi

# A Java runtime (17 or later) for the Spark tier (pyspark runs Spark in a JVM): Debian's
# package when `java` is missing or older (root, as in CI).
java-bin:
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1); \
	if [ -n "$$v" ] && [ "$$v" -ge 17 ]; then echo "java-bin: $$(command -v java) (Java $$v)"; exit 0; fi; \
	echo "java-bin: no Java 17+ found, installing it"; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; \
	else echo "java-bin: run as root: apt-get install -y openjdk-17-jre-headless" >&2; exit 1; fi; \
	java -version

# SEGDSL_REQUIRE_ENGINES=1: an engine that cannot start fails the run instead of skipping.
# pytest's exit code 5 (no tests collected) is a failure too.
test: install postgres-bin chromium-bin java-bin
	@rc=0; SEGDSL_REQUIRE_ENGINES=1 $(VPY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit "$$rc"

test-fast: install
	@rc=0; $(VPY) -m pytest -m "$(FAST_MARKERS)" $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then echo "make test-fast: pytest collected no tests" >&2; exit 1; fi; \
	exit "$$rc"

demo: install
	$(VENV)/bin/segdsl demo

# The benchmark suite (bench/): compiled SQL vs hand-written queries vs the one-scan floor.
bench: install
	$(VPY) bench/run.py

# Long differential campaign (scripts/fuzz.py): random segments and data on the reference
# evaluator, DuckDB, Postgres and ZetaSQL; prints how many examples ran, disagreed, crashed and
# fails on any. Shrunk failures are saved under .tmp/fuzz/. FUZZ_ARGS="--examples 500 --jobs 1"
FUZZ_ARGS ?= --examples 10000
fuzz: install postgres-bin
	$(VPY) scripts/fuzz.py $(FUZZ_ARGS)

# Build and test leftovers. Keeps .venv and the ZetaSQL compile cache (.cache/): see distclean.
clean:
	rm -rf build dist .pytest_cache .hypothesis .tmp
	find . -path ./$(VENV) -prune -o -name '*.egg-info' -prune -exec rm -rf {} + \
		-o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .cache
