"""The start-up gate (decision C) and the schema contract of every raw file.

Every command that reads data calls ``open_lakehouse`` first: an unknown
parquet in datasets/, a missing dataset, an unreadable file or a column that
differs from the manifest stops the run with one line and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from staffing_sql.database import execute
from staffing_sql.documents import check_documents
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import Dataset, Manifest
from staffing_sql.paths import Layout


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


def open_lakehouse(con, layout: Layout, manifest: Manifest) -> dict[str, RawFile]:
    files = check_gate(layout, manifest)
    for raw in files.values():
        check_schema(con, raw)
    for documents in manifest.documents:
        check_documents(sorted((layout.data_dir / documents.folder).glob(documents.glob)), documents.name)
    return files
