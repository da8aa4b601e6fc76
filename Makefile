# staffing-sql: every target creates what it needs (.venv, the synthetic data).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DATA   ?= data
SCALE  ?= 1
CLI    := $(BIN)/staffing-sql
# Test processes (pytest-xdist): most tests run the CLI on a small lakehouse, one
# process each, so two workers use both cores of a CI machine (1.34x measured).
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help venv data audit build shell lint gap-report test check bench clean java venv-spark test-spark audit-spark

help: ## List every target with one line
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the pinned duckdb, duckdb-cli, sqlglot, jinja2, click, pytest

# The Spark engine (contract §9): pyspark (the `spark` extra) and a Java 17 runtime.
# Java comes from Debian's packages, and only when no `java` is on the PATH.
SPARK_STAMP := $(VENV)/.spark-stamp
# Where `make audit-spark` runs: local[N] on this machine, or a cluster's master URL.
SPARK_MASTER ?= local[2]

java: ## Install Debian's openjdk-17-jre-headless when no `java` is on the PATH (needs root)
	@command -v java >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless; }
	@java -version 2>&1 | head -1

$(SPARK_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	touch $(SPARK_STAMP)

venv-spark: java $(SPARK_STAMP) ## Add pyspark (the `spark` extra, ~490 MB) and Java 17 to .venv

test-spark: venv-spark ## Run the Spark tests (transpiler, lint, parity of tokens, safe views, raw JSON, and build and audit --engine spark, on local[2])
	$(BIN)/pytest -q tests/test_spark_session.py tests/test_portable.py tests/test_spark_parity.py tests/test_spark_documents.py tests/test_spark_engine.py

$(DATA)/GENERATED.json: | $(STAMP)
	$(CLI) generate --data-dir $(DATA) --scale $(SCALE)

data: $(DATA)/GENERATED.json ## Generate the synthetic lakehouse into ./data unless it is there

audit: $(STAMP) $(DATA)/GENERATED.json ## Run the main job on the synthetic lakehouse; pass = it caught exactly the planted problems
	$(CLI) audit --data-dir $(DATA) --known-answers $(DATA)/GENERATED.json

build: $(STAMP) $(DATA)/GENERATED.json ## Build the safe and derived layers and the analyst database (published only when the PII scan passes)
	$(CLI) build --data-dir $(DATA)

shell: build ## Open the duckdb shell on the analyst database (safe relations only)
	$(BIN)/duckdb -readonly build/analyst.duckdb

lint: $(STAMP) ## Static checks: SQL parses, no select * in safe views, PII reaches outputs only masked
	$(CLI) lint

gap-report: $(STAMP) $(DATA)/GENERATED.json ## Regenerate reports/staffing/synthetic-data-gap-report.md
	$(CLI) gap-report --data-dir $(DATA)

test: $(STAMP) ## Run the test suite on small generated lakehouses (all but the slow tests; TEST_WORKERS=2 processes)
	$(BIN)/pytest -q -m "not slow" -n $(TEST_WORKERS)

check: $(STAMP) ## Run the slow tests: the committed gap report is fresh on the scale-1 lakehouse
	$(BIN)/pytest -q -m slow

# The release bench compares against: the last one before the PII boundary
# (issue 10) rewrote redaction, so its cost shows as a ratio measured in the same run.
BENCH_BASELINE ?= c7ad606

bench: $(STAMP) ## Time generate, build and audit at scales 1 and 10 against floors and the baseline release, in the same run (slow)
	$(BIN)/python scripts/bench.py --baseline $(BENCH_BASELINE)

audit-spark: venv-spark $(DATA)/GENERATED.json ## The audit on Apache Spark (SPARK_MASTER, default local[2]): the same checks, outputs and exit codes as make audit
	$(CLI) audit --engine spark --spark-master '$(SPARK_MASTER)' --data-dir $(DATA) --known-answers $(DATA)/GENERATED.json

clean: ## Remove generated data, build output and the virtual environment
	rm -rf $(VENV) $(DATA) build .pytest_cache
