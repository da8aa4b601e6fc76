"""The manifest (manifest.toml): every recognised raw file and its columns."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from staffing_sql.errors import CannotRun
from staffing_sql.paths import MANIFEST_PATH

PII_CLASSES = ("name", "email", "phone", "free_text", "financial", "none")
INTEGER_MAX = 2**31 - 1  # DuckDB's INTEGER, the type the JSON readers give a fill's count
ROLES = ("canonical", "sibling", "fixture", "excluded_anomaly")
# Which relation holds which raw file: raw_<name>; decision C's excluded
# anomaly is excluded_<name>, never read as a source; a dataset after the phone
# fixup (decision D) is normalised_<name>.
RAW_PREFIX = "raw_"
EXCLUDED_PREFIX = "excluded_"
NORMALISED_PREFIX = "normalised_"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    pii: str
    values: tuple[str, ...] = ()
    pattern: str | None = None
    range: tuple[float, float] | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str
    entity: str
    role: str
    rows_at_scale_1: int
    scales: bool
    key: tuple[str, ...]
    notes: str
    columns: tuple[Column, ...]
    sibling_of: str | None = None
    safe_relation: str | None = None

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def excluded(self) -> bool:
        return self.role == "excluded_anomaly"

    @property
    def relation(self) -> str:
        """The relation over the raw file: ``raw_<name>``, or ``excluded_<name>`` for the excluded anomaly."""
        return (EXCLUDED_PREFIX if self.excluded else RAW_PREFIX) + self.name

    @property
    def normalised_relation(self) -> str:
        return NORMALISED_PREFIX + self.name


@dataclass(frozen=True)
class Documents:
    name: str
    folder: str
    glob: str
    entity: str
    files_at_scale_1: int
    notes: str
    incident_tags: tuple[str, ...] = ()
    other_tags: tuple[str, ...] = ()
    max_slots_per_fill: int | None = None


@dataclass(frozen=True)
class DocumentRelation:
    """A JSON folder read as a relation (sql/raw/<name>.sql, registered as raw_<name>)."""

    name: str
    documents: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def relation(self) -> str:
        return RAW_PREFIX + self.name


@dataclass(frozen=True)
class Manifest:
    path: Path
    datasets: tuple[Dataset, ...]
    documents: tuple[Documents, ...] = field(default=())
    document_relations: tuple[DocumentRelation, ...] = field(default=())

    def dataset(self, name: str) -> Dataset:
        for dataset in self.datasets:
            if dataset.name == name:
                return dataset
        raise KeyError(name)

    def document(self, name: str) -> Documents:
        for documents in self.documents:
            if documents.name == name:
                return documents
        raise KeyError(name)

    @property
    def files(self) -> set[str]:
        return {dataset.file for dataset in self.datasets}

    def readable(self) -> list[Dataset]:
        """Datasets the product reads as sources (decision C excludes the anomaly)."""
        return [dataset for dataset in self.datasets if not dataset.excluded]

    def phone_datasets(self) -> list[Dataset]:
        """The datasets decision D's phone fixup applies to: every readable one with a phone column."""
        return [dataset for dataset in self.readable() if any(column.name == "phone" for column in dataset.columns)]


def _column(where: str, raw: dict) -> Column:
    for required in ("name", "type"):
        if required not in raw:
            raise CannotRun(f"{where}: a column has no '{required}'")
    pii = raw.get("pii")
    if pii not in PII_CLASSES:
        # Fail closed: a column nobody classified is treated as unsafe to expose.
        raise CannotRun(
            f"{where}: column '{raw['name']}' has no PII class (pii = one of {', '.join(PII_CLASSES)})"
        )
    value_range = raw.get("range")
    return Column(
        name=raw["name"],
        type=raw["type"].upper(),
        pii=pii,
        values=tuple(raw.get("values", ())),
        pattern=raw.get("pattern"),
        range=tuple(value_range) if value_range else None,
    )


def _slot_limit(where: str, entry: dict) -> int | None:
    limit = entry.get("max_slots_per_fill")
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= INTEGER_MAX:
        raise CannotRun(f"{where}: max_slots_per_fill must be an integer from 1 to {INTEGER_MAX}")
    return limit


def parse_manifest(path: Path) -> Manifest:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise CannotRun(f"{path}: manifest not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CannotRun(f"{path}: not valid TOML: {exc}") from None

    by_name = {entry.get("name"): entry for entry in raw.get("datasets", [])}
    datasets = []
    for entry in raw.get("datasets", []):
        where = f"{path.name} dataset '{entry.get('name')}'"
        role = entry.get("role")
        if role not in ROLES:
            raise CannotRun(f"{where}: role must be one of {', '.join(ROLES)}")
        column_source = entry
        if "same_columns_as" in entry:
            column_source = by_name.get(entry["same_columns_as"])
            if column_source is None:
                raise CannotRun(f"{where}: same_columns_as names an unknown dataset")
        columns = tuple(_column(where, column) for column in column_source.get("columns", []))
        if not columns:
            raise CannotRun(f"{where}: no columns declared")
        datasets.append(
            Dataset(
                name=entry["name"],
                file=entry["file"],
                entity=entry["entity"],
                role=role,
                rows_at_scale_1=int(entry["rows_at_scale_1"]),
                scales=bool(entry.get("scales", False)),
                key=tuple(entry.get("key", ())),
                notes=entry.get("notes", ""),
                columns=columns,
                sibling_of=entry.get("sibling_of"),
                safe_relation=entry.get("safe_relation"),
            )
        )
    documents = tuple(
        Documents(
            name=entry["name"],
            folder=entry["folder"],
            glob=entry["glob"],
            entity=entry["entity"],
            files_at_scale_1=int(entry["files_at_scale_1"]),
            notes=entry.get("notes", ""),
            incident_tags=tuple(entry.get("incident_tags", ())),
            other_tags=tuple(entry.get("other_tags", ())),
            max_slots_per_fill=_slot_limit(f"{path.name} documents '{entry.get('name')}'", entry),
        )
        for entry in raw.get("documents", [])
    )
    document_relations = tuple(
        DocumentRelation(
            name=entry["name"],
            documents=entry["documents"],
            key=tuple(entry.get("key", ())),
            columns=tuple(_column(f"{path.name} document relation '{entry['name']}'", column)
                          for column in entry.get("columns", [])),
        )
        for entry in raw.get("document_relations", [])
    )
    return Manifest(path=path, datasets=tuple(datasets), documents=documents, document_relations=document_relations)


@lru_cache(maxsize=None)
def load_manifest(path: Path = MANIFEST_PATH) -> Manifest:
    return parse_manifest(path)
