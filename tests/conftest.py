"""Shared fixtures: small generated lakehouses built in pytest's tmp folders."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from staffing_sql.generator import MIN_SCALE, generate_lakehouse
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


@pytest.fixture(scope="session")
def minimal_lakehouse(tmp_path_factory) -> Layout:
    """The smallest lakehouse that holds every planted problem (MIN_SCALE), shared by the session: never modify it.

    For the tests that run the CLI many times and assert behaviour (refusals, publication, interruption,
    samples), not sizes: every CLI run of the suite pays per row of workers_500k.
    """
    return build_lakehouse(tmp_path_factory.mktemp("minimal"), scale=MIN_SCALE)


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


@functools.cache
def _read_only_mechanism() -> str | None:
    """How this machine can make a folder read-only even for root, or None."""
    probe = Path(tempfile.mkdtemp())
    try:
        if shutil.which("unshare"):
            attempt = subprocess.run(
                ["unshare", "-rm", "sh", "-c",
                 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/x" 2>/dev/null',
                 "sh", str(probe)],
                capture_output=True, timeout=30)
            if attempt.returncode == 0 and not (probe / "x").exists():
                return "mount"
        probe.chmod(0o555)
        try:
            (probe / "x").touch()
        except OSError:
            return "chmod"
        return None
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)


def run_with_read_only(folders: list[Path], args: list[str]) -> subprocess.CompletedProcess:
    """Run the CLI with ``folders`` read-only: a read-only bind mount (root too), or chmod."""
    mechanism = _read_only_mechanism()
    if mechanism is None:
        pytest.skip("no way to make a folder read-only for this user here (root without unshare)")
    env = {**os.environ, "STAFFING_SQL_KEY": TEST_KEY}
    command = [sys.executable, "-m", "staffing_sql", *args]
    if mechanism == "mount":
        script = ('n=$1; shift; while [ "$n" -gt 0 ]; do '
                  'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 97; shift; n=$((n-1)); done; '
                  'exec "$@"')
        return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(len(folders)),
                               *map(str, folders), *command],
                              capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=600)
    modes = {path: path.stat().st_mode for folder in folders for path in [folder, *folder.rglob("*")] if path.is_dir()}
    try:
        for path in modes:
            path.chmod(0o555)
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=600)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.fixture(scope="session")
def spark():
    """One SparkSession (local[2], ui off, 2 shuffle partitions) for the whole test session.

    Skips with the reason when pyspark is not installed (`make venv-spark`).
    """
    from staffing_sql.spark import pyspark_missing, start_session

    missing = pyspark_missing()
    if missing:
        pytest.skip(missing)
    session = start_session()
    yield session
    session.stop()
