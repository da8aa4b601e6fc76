"""sha256 of files and text, and writes that never leave half a file behind."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_identity(path: Path) -> dict:
    """Which file this is and whether it was written since: device, inode, size, mtime and ctime in ns."""
    stat = os.stat(path)
    return {"device": stat.st_dev, "inode": stat.st_ino, "bytes": stat.st_size,
            "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns}


class FileHashes:
    """sha256 of files for one run, each file read once while it stays unchanged.

    One audit reads the same file's hash several times: the ledger's input
    list and each layer's staleness record (a raw file is the normalised
    layer's input, a normalised output the safe layer's). Entries are keyed by
    the file's path and identity (file_identity), so a file replaced or
    rewritten during the run is read again. A caller that must see the bytes
    as they are now (raw_files_unchanged, at the end of the run) passes
    fresh=True.
    """

    def __init__(self) -> None:
        self._known: dict[tuple, str] = {}

    def sha256(self, path: Path, fresh: bool = False) -> str:
        key = (os.fspath(path), *file_identity(path).values())
        if fresh or key not in self._known:
            self._known[key] = sha256_file(path)
        return self._known[key]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def relative_path(path: Path, roots: tuple[Path, ...]) -> str:
    """``path`` relative to the first of ``roots`` that holds it, else as it is."""
    for root in roots:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def file_record(path: Path, roots: tuple[Path, ...] = (), hashes: FileHashes | None = None, fresh: bool = False,
                shown_as: Path | None = None) -> dict:
    """The {path, sha256, bytes} record of one file, as every record and ledger lists files.

    ``path`` is relative to the first root that holds it; ``shown_as`` names
    the file by another path (a staged file by the target it is renamed to).
    ``hashes`` reuses this run's hashes (FileHashes); ``fresh`` reads the bytes again.
    """
    sha256 = hashes.sha256(path, fresh) if hashes is not None else sha256_file(path)
    return {"path": relative_path(shown_as or path, roots), "sha256": sha256, "bytes": path.stat().st_size}


def temporary_sibling(path: Path) -> Path:
    """Where a writer stages ``path`` before renaming it into place.

    Hidden, beside the target (same file system, so the rename is atomic), and
    named with the writer's pid so that staffing_sql.outputs can tell a killed
    writer's leftover from a live one's: ``.<name>.<pid>.tmp``.
    """
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temporary_sibling(path)
    try:
        with open(temp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def canonical_json(value) -> str:
    """Stable JSON text: the same value gives the same bytes."""
    return json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
