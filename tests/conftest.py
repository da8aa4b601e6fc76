"""Shared fixtures: small generated lakehouses built in pytest's tmp folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from staffing_sql.generator import generate_lakehouse
from staffing_sql.paths import PROJECT_ROOT, Layout

SMALL_SCALE = 0.02
SEED = 42
TEST_KEY = "test-key-7f3c9a1e5b2d4680-not-for-production"


def quiet(*_args, **_kwargs) -> None:
    pass


def make_layout(root: Path) -> Layout:
    return Layout(data_dir=root / "data", out_dir=root / "build", reports_dir=root / "reports")


def build_lakehouse(root: Path, seed: int = SEED, scale: float = SMALL_SCALE) -> Layout:
    layout = make_layout(root)
    generate_lakehouse(layout, seed=seed, scale=scale, force=False, echo=quiet)
    return layout


@pytest.fixture(scope="session")
def small_lakehouse(tmp_path_factory) -> Layout:
    """A scale-0.02 lakehouse shared by the session: never modify it in a test."""
    return build_lakehouse(tmp_path_factory.mktemp("small"))


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m staffing_sql ARGS`` as a user would; returns the finished process."""
    full_env = {**os.environ, "STAFFING_SQL_KEY": TEST_KEY, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "staffing_sql", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or PROJECT_ROOT,
        timeout=600,
    )
