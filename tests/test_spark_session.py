"""The Spark engine's set-up: the session starts with the project's settings (skips without pyspark)."""

from __future__ import annotations

import tomllib

import pytest

from staffing_sql.errors import CannotRun
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.spark import ENV_DRIVER_MEMORY, SESSION_SETTINGS, session_settings


def test_spark_extra_pins_pyspark():
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert [requirement.split("==")[0] for requirement in extras["spark"]] == ["pyspark"]
    assert "==" in extras["spark"][0], "pyspark is pinned"


def test_session_has_the_project_settings(spark):
    for name in ("spark.ui.enabled", "spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "spark.sql.ansi.enabled"):
        assert spark.conf.get(name) == SESSION_SETTINGS[name], name
    assert spark.sparkContext.master == "local[2]"
    assert spark.sql("select 1 + 1 as two").collect()[0]["two"] == 2


def test_driver_memory_is_a_setting_with_an_override(monkeypatch):
    monkeypatch.delenv(ENV_DRIVER_MEMORY, raising=False)
    assert session_settings()["spark.driver.memory"] == "1g"
    monkeypatch.setenv(ENV_DRIVER_MEMORY, "3g")
    assert session_settings()["spark.driver.memory"] == "3g"
    assert session_settings({"spark.driver.memory": "2g"})["spark.driver.memory"] == "2g"
    monkeypatch.setenv(ENV_DRIVER_MEMORY, "lots")
    with pytest.raises(CannotRun, match=ENV_DRIVER_MEMORY):
        session_settings()


def test_the_driver_heap_is_the_setting(spark):
    """spark.driver.memory reaches the JVM only when it is given before the JVM starts (the launcher's -Xmx)."""
    setting = session_settings()["spark.driver.memory"].lower()
    size = int(setting.rstrip("kmgt")) * 1024 ** " kmgt".index(setting[-1] if setting[-1] in "kmgt" else " ")
    max_heap = spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory()
    assert spark.conf.get("spark.driver.memory") == setting
    assert size // 2 < max_heap <= size
