"""The start-up gate (decision C) and the schema contract of every raw file.

Every command that reads data calls ``open_lakehouse`` first, before it writes
anything: an unknown parquet in datasets/, a file in scenarios/ or
_playbook_lessons/ that the manifest's glob would skip, a missing dataset or
folder, an unreadable file, a column that differs from the manifest, or a
scenario or lesson file that the shape check or DuckDB's own reader refuses
stops the run with one line and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import duckdb

from staffing_sql.database import execute
from staffing_sql.documents import check_documents
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import Dataset, Documents, Manifest
from staffing_sql.paths import Layout
from staffing_sql.templates import render_string


@dataclass(frozen=True)
class RawFile:
    dataset: Dataset
    path: Path


def unknown_parquet(layout: Layout, manifest: Manifest) -> list[Path]:
    return sorted(
        path for path in layout.datasets_dir.glob("*.parquet") if path.name not in manifest.files
    )


def check_gate(layout: Layout, manifest: Manifest) -> dict[str, RawFile]:
    """Refuse unknown or missing files; return every declared dataset's file."""
    if not layout.datasets_dir.is_dir():
        raise CannotRun(f"{layout.datasets_dir}: datasets folder not found (run `staffing-sql generate` or pass --data-dir)")
    unknown = unknown_parquet(layout, manifest)
    if unknown:
        raise CannotRun(
            f"{unknown[0]}: parquet file not named by the manifest; the start-up gate refuses to run "
            f"(decision C: declare it in manifest.toml or move it out of datasets/)"
        )
    files = {}
    for dataset in manifest.datasets:
        path = layout.datasets_dir / dataset.file
        if not path.is_file():
            raise CannotRun(f"{path}: dataset '{dataset.name}' declared in the manifest is missing")
        files[dataset.name] = RawFile(dataset, path)
    for documents in manifest.documents:
        folder = layout.data_dir / documents.folder
        if not folder.is_dir():
            raise CannotRun(f"{folder}: {documents.name} folder not found")
    return files


def read_columns(con, path: Path) -> list[tuple[str, str]]:
    """(name, DuckDB type) of each column of a parquet file, or a one-line refusal."""
    if path.stat().st_size == 0:
        raise CannotRun(f"{path}: empty file (0 bytes), not a parquet file")
    try:
        cursor = execute(con, "select * from read_parquet($path) limit 0", {"path": str(path)})
    except duckdb.Error:
        raise CannotRun(f"{path}: not a readable parquet file (truncated or another format)") from None
    return [(name, str(type_code)) for name, type_code, *_ in cursor.description]


def check_schema(con, raw: RawFile) -> None:
    """The file's columns must be exactly the manifest's, with the same types."""
    actual = dict(read_columns(con, raw.path))
    for column in raw.dataset.columns:
        if column.name not in actual:
            raise CannotRun(f"{raw.path}: column '{column.name}' declared in the manifest is missing")
        if actual[column.name].upper() != column.type:
            raise CannotRun(
                f"{raw.path}: column '{column.name}' is {actual[column.name]}, the manifest says {column.type}"
            )
    declared = {column.name for column in raw.dataset.columns}
    for name in actual:
        if name not in declared:
            raise CannotRun(
                f"{raw.path}: column '{name}' is not in the manifest and has no PII class; refusing to pass it through"
            )


def document_files(layout: Layout, documents: Documents) -> list[Path]:
    """The files of one document folder, in name order; refuse anything its glob would skip.

    Hidden entries (``.DS_Store``, an editor's swap file) are left alone: the
    system and tools make them, nobody means them as input.
    """
    folder = layout.data_dir / documents.folder
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise CannotRun(f"{folder}: {documents.name} folder cannot be read ({exc.strerror})") from None
    files = []
    for path in entries:
        if path.name.startswith("."):
            continue
        if path.is_dir():
            raise CannotRun(f"{path}: a folder inside {documents.folder}/; the start-up gate refuses to run "
                            f"(decision C: move it out of {documents.folder}/)")
        if not fnmatchcase(path.name, documents.glob) or not path.is_file():
            raise CannotRun(f"{path}: not a file named {documents.glob}, so it would not be read; the start-up gate "
                            f"refuses to run (decision C: rename it or move it out of {documents.folder}/)")
        files.append(path)
    return files


_READERS = {
    "scenarios": "select * from {{ read_scenarios('$paths') }}",
    "lessons": "select * from {{ read_lessons('$paths') }}",
}


def check_document_reader(con, paths: list[Path], documents: Documents) -> None:
    """DuckDB's reader, with the contract's column types, must read every file the shape check passed.

    The layers read the files through the same macros: a file the shape check
    missed would otherwise fail mid-build. DuckDB's message is not shown (it
    quotes the data); the file is found by reading the files one at a time.
    """
    if not paths:
        return
    sql = render_string(_READERS[documents.name])
    try:
        execute(con, sql, {"paths": [str(path) for path in paths]}).fetchall()
        return
    except duckdb.Error:
        pass
    for path in paths:
        try:
            execute(con, sql, {"paths": [str(path)]}).fetchall()
        except duckdb.Error as exc:
            raise CannotRun(f"{path}: DuckDB's JSON reader cannot read it with the contract's column types "
                            f"({type(exc).__name__})") from None
    raise CannotRun(f"{paths[0].parent}: DuckDB's JSON reader cannot read these {documents.name} files together")


def open_lakehouse(con, layout: Layout, manifest: Manifest) -> dict[str, RawFile]:
    """Every input check, in the order a user would fix them; nothing is written until all pass."""
    files = check_gate(layout, manifest)
    documents = [(entry, document_files(layout, entry)) for entry in manifest.documents]
    for raw in files.values():
        check_schema(con, raw)
    for entry, paths in documents:
        check_documents(paths, entry)
    for entry, paths in documents:
        check_document_reader(con, paths, entry)
    return files
