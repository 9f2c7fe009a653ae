# segdsl developer tasks. Recipes are POSIX sh and set up everything they need themselves:
#   make test       lint, then all tiers (DuckDB, Postgres, ZetaSQL/BigQuery, Spark, ClickHouse,
#                   the language server, the VS Code extension), never skipping an engine
#   make lint       ruff on segdsl/ and tests/, mypy --strict on MYPY_STRICT_MODULES
#   make mypy-report  mypy --strict error counts of all of segdsl/ (but the CLI), per folder
#   make test-fast  DuckDB-only tier: -m "not postgres and not zetasql and not spark and not
#                   clickhouse and not slow"
#   make demo       run `segdsl demo` (installs the package alone, without the test tools)
#   make install    create .venv and install the package with its dev extras (when needed)
#   make vsix       build, test and package the VS Code extension (editors/vscode/segdsl.vsix)
# Extra pytest arguments: make test PYTEST_ARGS="-x -k smoke"

SHELL := /bin/sh
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.segdsl-install-stamp
DEMO_STAMP := $(VENV)/.segdsl-demo-stamp
PYTEST_ARGS ?=
# Workers for `make test` (pytest-xdist). The Spark, ClickHouse, LSP and dbt tests of one test
# file stay on one worker (their engine starts once per worker); everything else is shared out
# test by test. PYTEST_JOBS=0: one process, no workers.
PYTEST_JOBS ?= 2
FAST_MARKERS := not postgres and not zetasql and not spark and not clickhouse and not dbt and not slow

# Do not let the caller's Python settings leak into the venv or the tests.
unexport PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install .venv bytecode lint mypy-report postgres-bin chromium-bin java-bin node-bin vsix zetasql-warm test test-fast demo bench fuzz clean distclean

help:
	@echo "targets: install  lint  mypy-report  postgres-bin  chromium-bin  java-bin  node-bin  vsix  test  test-fast  demo  bench  fuzz  clean  distclean"

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes; otherwise the stamp keeps `make` instant.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo needs the package and its runtime dependencies only: the dev extras (pytest,
# hypothesis, ZetaSQL, wasmtime...) would be most of its install time. A current dev
# install already holds everything, so it is used as it is.
$(DEMO_STAMP): pyproject.toml | $(VPY)
	if [ -f $(STAMP) ] && [ ! pyproject.toml -nt $(STAMP) ]; then :; \
	else $(VPY) -m pip install -e .; fi
	touch $(DEMO_STAMP)

.venv: install

# `mypy --strict` (configured in pyproject.toml) on the whole package but the CLI, which
# pyproject excludes (typer's option declarations), and on the reference evaluator.
MYPY_STRICT_MODULES := segdsl tests/reference

lint: install
	$(VENV)/bin/ruff check segdsl tests
	$(VENV)/bin/mypy $(MYPY_STRICT_MODULES)

# Not part of `make test`: the size of what is left before MYPY_STRICT_MODULES is `segdsl`.
mypy-report: install
	@mkdir -p .tmp; rc=0; $(VENV)/bin/mypy > .tmp/mypy-report.txt 2>&1 || rc=$$?; \
	if [ "$$rc" -gt 1 ]; then cat .tmp/mypy-report.txt >&2; exit "$$rc"; fi; \
	grep -o '^segdsl/[a-z_]*' .tmp/mypy-report.txt | sort | uniq -c; \
	tail -n 1 .tmp/mypy-report.txt; echo "(full list: .tmp/mypy-report.txt)"

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

# Node.js and npm for the VS Code extension (Debian's packages; root, as in CI).
node-bin:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		echo "node-bin: node $$(node --version), npm $$(npm --version)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm; \
	else echo "node-bin: install Node.js (20 or later) and npm" >&2; exit 1; fi

# The VS Code extension: npm packages from the lock file, TypeScript compiled, its unit tests
# (mocked vscode) and grammar tests (vscode-tmgrammar-test), then editors/vscode/segdsl.vsix.
# --ignore-scripts: no package needs one, and vsce-sign's would download a binary (unsigned here).
vsix: node-bin
	cd editors/vscode && npm ci --ignore-scripts --no-audit --no-fund && npm test && npm run package

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
# Bytecode of the package and the tests, written once: the tests start hundreds of `segdsl`
# processes, and where PYTHONDONTWRITEBYTECODE is set (as in some CI images) each of them would
# compile every module it imports again (measured: 0.17 s of CPU per process). compileall
# writes .pyc files whatever that variable says and skips those already up to date.
bytecode: install
	@$(VPY) -m compileall -q segdsl tests >/dev/null

test: install zetasql-warm bytecode lint postgres-bin chromium-bin java-bin vsix
	@rc=0; SEGDSL_REQUIRE_ENGINES=1 $(VPY) -m pytest -n $(PYTEST_JOBS) --dist loadgroup $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit "$$rc"

# ZetaSQL's 28 MB WebAssembly module compiled into its cache (.cache/zetasql) in the background
# while lint and the VS Code extension build run on one core, so that no test worker compiles
# it (about 30 s of both cores otherwise, once per worker on a fresh clone).
zetasql-warm: install
	@($(VPY) -c "from tests.support.engines import BigQueryEngine; BigQueryEngine().close()" >/dev/null 2>&1 &)

test-fast: install bytecode
	@rc=0; $(VPY) -m pytest -m "$(FAST_MARKERS)" $(PYTEST_ARGS) || rc=$$?; \
	if [ "$$rc" -eq 5 ]; then echo "make test-fast: pytest collected no tests" >&2; exit 1; fi; \
	exit "$$rc"

demo: $(DEMO_STAMP)
	$(VENV)/bin/segdsl demo

# The benchmark suite (bench/): compiled SQL vs hand-written queries vs the one-scan floor;
# then the sequence segments' peak memory and growth with events per customer; then the
# speed of `segdsl check` on 1,000 generated segments and of start-up, and the language
# server's diagnostics and completion after an edit in that project.
bench: install
	$(VPY) bench/run.py
	$(VPY) bench/sequences.py
	$(VPY) bench/check_speed.py --runs 9
	$(VPY) bench/lsp_bench.py

# Long differential campaign (scripts/fuzz.py): random segments and data on the reference
# evaluator, DuckDB, Postgres and ZetaSQL; prints how many examples ran, disagreed, crashed and
# fails on any. Shrunk failures are saved under .tmp/fuzz/. FUZZ_ARGS="--examples 500 --jobs 1"
FUZZ_ARGS ?= --examples 10000
fuzz: install postgres-bin
	$(VPY) scripts/fuzz.py $(FUZZ_ARGS)

# Build and test leftovers. Keeps .venv and the ZetaSQL compile cache (.cache/): see distclean.
clean:
	rm -rf build dist .pytest_cache .hypothesis .tmp .mypy_cache .ruff_cache editors/vscode/out editors/vscode/segdsl.vsix
	find . -path ./$(VENV) -prune -o -name '*.egg-info' -prune -exec rm -rf {} + \
		-o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .cache editors/vscode/node_modules
