"""Guarding the output folders before a command writes into them.

Every command that writes build output (build, normalize-phones, audit) runs
inside ``exclusive_outputs``:

1. each folder it will write is created and proven writable first, so an
   unwritable folder is one clear line and exit 2 before any work is done;
2. one writer at a time per output folder (an advisory lock beside the
   layers): a second run waits up to ``--wait`` seconds, then refuses;
3. holding the lock, it removes the temporary files a killed run left behind.
   Every writer writes ``.<name>....tmp`` and renames it into place, so a
   temporary file is never an output; under the lock none can be in use.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from staffing_sql.errors import CannotRun
from staffing_sql.paths import Layout

LOCK_NAME = ".staffing-sql.lock"
SPILL_NAME = ".spill"
_TEMPORARY_SUFFIXES = (".tmp", ".tmp.wal")


def require_writable(folder: Path) -> None:
    """Create ``folder`` if needed and prove a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".write-probe.", suffix=".tmp", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise CannotRun(f"{folder}: output folder cannot be written ({exc.strerror or exc})") from None


def stale_temporaries(folder: Path, recursive: bool = True) -> list[Path]:
    """Temporary files a writer left in ``folder`` (hidden names ending .tmp / .tmp.wal)."""
    if not folder.is_dir():
        return []
    candidates = folder.rglob(".*") if recursive else folder.glob(".*")
    return sorted(
        path for path in candidates
        if path.is_file() and path.name.endswith(_TEMPORARY_SUFFIXES)
    )


def _sweep(layout: Layout) -> None:
    for path in stale_temporaries(layout.out_dir) + stale_temporaries(layout.reports_dir, recursive=False):
        path.unlink(missing_ok=True)
    # DuckDB's spill files of a killed run; a live run would hold the lock.
    shutil.rmtree(layout.out_dir / SPILL_NAME, ignore_errors=True)


@contextmanager
def exclusive_outputs(layout: Layout, wait_seconds: float, writes_reports: bool = False,
                      extra_files: tuple[Path, ...] = ()):
    """Writable folders, the one-writer lock, and a sweep of stale temporaries."""
    require_writable(layout.out_dir)
    if writes_reports:
        require_writable(layout.reports_dir)
    for path in extra_files:
        require_writable(path.parent)
    lock_path = layout.out_dir / LOCK_NAME
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CannotRun(
                        f"{layout.out_dir}: another staffing-sql run is writing these outputs "
                        f"(waited {wait_seconds:g}s; lock {LOCK_NAME})"
                    ) from None
                time.sleep(0.2)
        try:
            _sweep(layout)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
