"""The Spark engine's session (contract §9): pyspark is an optional extra.

The session, and the views the translated SQL reads that are no parquet file (the raw JSON
files); what runs on it is the project's SQL, transpiled
by :mod:`staffing_sql.portable`. No Python function computes a result on
Spark (no UDFs): every value comes from Spark SQL, so a cluster gives the
same bytes as ``local[N]``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from staffing_sql.errors import CannotRun

DEFAULT_MASTER = "local[2]"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")

# The driver's heap (local[N]: the executors run in it too). The redaction's Spark query is large
# (the case-file parity query some 72,000 characters): 512m analyses it slowly, 2g no faster than 1g.
# STAFFING_SQL_SPARK_DRIVER_MEMORY overrides it (a JVM size: 1g, 1536m, 4g); it takes effect only when
# the session starts the JVM (the first session of a Python process).
ENV_DRIVER_MEMORY = "STAFFING_SQL_SPARK_DRIVER_MEMORY"
DEFAULT_DRIVER_MEMORY = "1g"

# Settings that make a result independent of where Spark runs, and keep a
# local session small. ANSI mode is Spark 4's default, written out so that a
# cluster's spark-defaults cannot change a cast error into a NULL.
SESSION_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    # A CTE nested in another query shadows an outer one of the same name (a macro's 'final' inside a
    # view's), as on DuckDB; written out so that a cluster's defaults cannot make it an error.
    "spark.sql.legacy.ctePrecedencePolicy": "CORRECTED",
    # The redaction nests list lambdas deeply; the analyzer resolves one nesting level per iteration
    "spark.sql.analyzer.maxIterations": "1000",
    # The parser's ANTLR cache keeps the states of every statement parsed, and the transpiled redaction
    # is large: 1 GB filled up after ten safe views (jobs_safe alone left 370 MB of DFA states behind)
    # and the next query failed. Flushed when it passes 10% of the driver's heap.
    "spark.sql.parser.manageParserCaches": "true",
    "spark.sql.parser.parserDfaCacheFlushRatio": "10",
    # stderr carries the tool's one-line messages only: no progress bar, and Spark's own log off
    # (LOG_CONFIG says why); both take effect when the session starts the JVM.
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}",
}


def pyspark_missing() -> str | None:
    """Why the Spark engine cannot start here, or None when pyspark imports."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed: pip install -e '.[spark]' (or make venv-spark; it needs Java 17)"
    return None


def session_settings(settings: dict | None = None) -> dict:
    """SESSION_SETTINGS, the driver memory (STAFFING_SQL_SPARK_DRIVER_MEMORY or 1g), then ``settings``."""
    memory = os.environ.get(ENV_DRIVER_MEMORY, "").strip() or DEFAULT_DRIVER_MEMORY
    if not re.fullmatch(r"[1-9][0-9]*[kmgt]?", memory, re.IGNORECASE):
        raise CannotRun(f"{ENV_DRIVER_MEMORY} must be a JVM memory size such as 1g or 1536m")
    return {**SESSION_SETTINGS, "spark.driver.memory": memory, **(settings or {})}


def start_session(master: str = DEFAULT_MASTER, settings: dict | None = None, app_name: str = "staffing-sql"):
    """A SparkSession on ``master`` with the project's settings (``settings`` override them)."""
    missing = pyspark_missing()
    if missing:
        raise CannotRun(missing)
    from pyspark.sql import SparkSession

    configured = session_settings(settings)
    _launch_quiet_jvm(master, app_name, configured)
    builder = SparkSession.builder.master(master).appName(app_name)
    for name, value in configured.items():
        builder = builder.config(name, value)
    session = builder.getOrCreate()
    if configured["spark.driver.extraJavaOptions"] == SESSION_SETTINGS["spark.driver.extraJavaOptions"]:
        session.sparkContext.setLogLevel("OFF")  # a JVM started elsewhere did not read LOG_CONFIG
    quiet_python_error_logs()
    return session


def _launch_quiet_jvm(master: str, app_name: str, configured: dict) -> None:
    """Start Spark's JVM (the first session of a process) with its own stderr discarded.

    The JVM writes to stderr before any log setting applies (its incubator-module warning), and
    after a crash (an OutOfMemoryError's message); the tool reports a failure as one line instead.
    pyspark's own launcher, given the same settings and a discarded stderr.
    """
    import subprocess

    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    if SparkContext._gateway is not None:
        return
    conf = SparkConf().setMaster(master).setAppName(app_name)
    for name, value in configured.items():
        conf.set(name, value)
    SparkContext._ensure_initialized(gateway=launch_gateway(conf, popen_kwargs={"stderr": subprocess.DEVNULL}))


# pyspark logs every SQL error it converts, with Spark's whole message (the analysed plan, where
# bound parameters such as the PII key are substituted, and row values), at ERROR on stderr.
_PYSPARK_ERROR_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")


def quiet_python_error_logs() -> None:
    """Silence pyspark's error loggers: the engine reports a failure as one line naming the error class."""
    from pyspark.logger import PySparkLogger

    for name in _PYSPARK_ERROR_LOGGERS:
        PySparkLogger.getLogger(name).disabled = True


# -- the raw JSON files ---------------------------------------------------------------------------

_HADOOP_GLOB = re.compile(r"([\\{}\[\]*?])")


def spark_path(path) -> str:
    """A file's path for Spark's readers, which expand *, ?, [...] and {...}: those escaped."""
    return _HADOOP_GLOB.sub(r"\\\1", str(path))


def spark_params(params: dict) -> dict:
    """A run's parameters (pipeline.run_params) as the Spark engine binds them: the data folder and
    every file list as absolute paths, which is how Spark's file sources name a file ('file:' + path),
    so that source_path (the path less the data folder) is the same on both engines."""
    import os.path

    from staffing_sql.catalog import DOCUMENT_PARAMETERS

    bound = dict(params)
    if "data_dir" in params:  # a check binds only the parameters its SQL names
        bound["data_dir"] = os.path.abspath(params["data_dir"])
    for name in DOCUMENT_PARAMETERS:
        if name in params:
            bound[name] = [os.path.abspath(path) for path in params[name]]
    return bound


def register_document_files(spark, params: dict) -> None:
    """Each file-list parameter's files ($scenario_paths, $lesson_paths) as a Spark view of their
    bytes (Spark's binaryFile source: path, content), which the translated read_json and read_text
    read (portable.document_files_view). Paths are passed escaped: Spark would expand *, ?, [ and {."""
    from staffing_sql.catalog import DOCUMENT_PARAMETERS
    from staffing_sql.portable import document_files_view

    for name in DOCUMENT_PARAMETERS:
        paths = [spark_path(path) for path in spark_params(params)[name]]
        spark.read.format("binaryFile").load(paths).createOrReplaceTempView(document_files_view(name))


def register_document_relations(spark, manifest, params: dict) -> None:
    """raw_scenarios, raw_scenario_fills, raw_scenario_assignments, raw_lessons on Spark: sql/raw/,
    transpiled, over the files' views; each a temp view (Spark reads the files again at each use)."""
    from staffing_sql.catalog import document_relation_template
    from staffing_sql.portable import spark_dataframe, to_spark
    from staffing_sql.templates import render

    register_document_files(spark, params)
    for relation in manifest.document_relations:
        sql = to_spark(render(document_relation_template(relation.name)))
        spark_dataframe(spark, sql, params=spark_params(params)).createOrReplaceTempView(relation.relation)
