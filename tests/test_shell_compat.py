"""The duckdb shell (duckdb-cli) opens what the Python library writes: one pinned release."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SHELL = Path(sys.executable).parent / "duckdb"


def shell(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SHELL), "-no-init", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def database(tmp_path) -> Path:
    """A database file written by the Python library."""
    path = tmp_path / "written_by_python.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table answers as select 42::bigint as answer, 'héllo wörld' as greeting")
    con.execute("create table numbers as select i from range(1, 1001) as r(i)")
    con.close()
    return path


def test_shell_is_installed_next_to_python():
    assert SHELL.exists(), f"{SHELL}: duckdb-cli is not installed in this environment"


def test_shell_release_equals_library_release():
    result = shell("--version")
    assert result.returncode == 0, result.stderr
    release = result.stdout.split()[0]
    assert release == f"v{duckdb.__version__}"


def test_shell_reads_python_database_with_c(database):
    result = shell("-readonly", "-noheader", "-list", "-c", "select answer, greeting from answers", str(database))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42|héllo wörld"


def test_shell_reads_python_database_from_stdin(database):
    result = shell("-readonly", "-noheader", "-csv", str(database), stdin="select sum(i), count(*) from numbers;\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500500,1000"


def test_python_reads_database_the_shell_wrote(tmp_path):
    path = tmp_path / "written_by_shell.duckdb"
    result = shell(str(path), stdin="create table t as select 7 as seven, 'from the shell' as origin;\n")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("select seven, origin from t").fetchall() == [(7, "from the shell")]
    finally:
        con.close()
