"""sha256 of files and text, and writes that never leave half a file behind."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_record(path: Path, relative_to: Path | None = None) -> dict:
    """Path (relative where possible), sha256 and size of one file."""
    shown = path
    if relative_to is not None:
        try:
            shown = path.relative_to(relative_to)
        except ValueError:
            pass
    return {"path": shown.as_posix(), "sha256": sha256_file(path), "bytes": path.stat().st_size}


def _default_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600 files; the result should look like any other file.
        os.chmod(temp_name, _default_file_mode())
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def canonical_json(value) -> str:
    """Stable JSON text: the same value gives the same bytes."""
    return json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
