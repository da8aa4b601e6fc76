"""The Spark engine's set-up: the session starts with the project's settings (skips without pyspark)."""

from __future__ import annotations

import tomllib

from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.spark import SESSION_SETTINGS


def test_spark_extra_pins_pyspark():
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert [requirement.split("==")[0] for requirement in extras["spark"]] == ["pyspark"]
    assert "==" in extras["spark"][0], "pyspark is pinned"


def test_session_has_the_project_settings(spark):
    for name in ("spark.ui.enabled", "spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "spark.sql.ansi.enabled"):
        assert spark.conf.get(name) == SESSION_SETTINGS[name], name
    assert spark.sparkContext.master == "local[2]"
    assert spark.sql("select 1 + 1 as two").collect()[0]["two"] == 2
