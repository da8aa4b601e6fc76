"""Guarding the output folders before a command writes into them.

Every command that writes build output (build, audit) runs inside
``exclusive_outputs``:

0. the data folder is validated first (the start-up gate's file checks, which
   write nothing), so a wrong --data-dir leaves no lock, spill folder or
   output folder behind;
1. each folder it will write is created and proven writable first, so an
   unwritable folder is one clear line and exit 2 before any work is done;
2. one writer at a time per output folder (an advisory lock beside the
   layers): a second run waits up to ``--wait`` seconds, then refuses;
3. it deletes what killed runs left behind: temporary files
   (``.<name>.<pid>.tmp``, see hashing.temporary_sibling) and DuckDB spill
   folders (``.spill/<pid>``) whose process is gone. A temporary file is never
   an output, and a live writer's (a gap-report, say) is left alone.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from staffing_sql.errors import CannotRun
from staffing_sql.gate import check_gate
from staffing_sql.manifest import load_manifest
from staffing_sql.hashing import temporary_sibling
from staffing_sql.paths import Layout

LOCK_NAME = ".staffing-sql.lock"
_TEMPORARY_SUFFIXES = (".tmp", ".tmp.wal")  # DuckDB adds .wal beside a database being written


def process_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and someone else's
        return True
    return True


def _writer_is_gone(pid_text: str) -> bool:
    return not pid_text.isdigit() or not process_is_alive(int(pid_text))


def require_writable(folder: Path) -> None:
    """Create ``folder`` if needed and prove a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temporary_sibling(folder / "write-probe")
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise CannotRun(f"{folder}: output folder cannot be written ({exc.strerror or exc})") from None


def stale_temporaries(folder: Path, recursive: bool = True) -> list[Path]:
    """Temporary files in ``folder`` whose writer is no longer running."""
    if not folder.is_dir():
        return []
    candidates = folder.rglob(".*") if recursive else folder.glob(".*")
    return sorted(
        path for path in candidates
        if path.is_file() and path.name.endswith(_TEMPORARY_SUFFIXES)
        and _writer_is_gone(path.name.removesuffix(".wal").removesuffix(".tmp").rsplit(".", 1)[-1])
    )


def stale_spill_folders(layout: Layout) -> list[Path]:
    if not layout.spill_dir.is_dir():
        return []
    return sorted(path for path in layout.spill_dir.iterdir() if _writer_is_gone(path.name))


def _sweep(layout: Layout, writes_reports: bool) -> None:
    leftovers = stale_temporaries(layout.out_dir)
    if writes_reports:
        leftovers += stale_temporaries(layout.reports_dir, recursive=False)
    for path in leftovers:
        path.unlink(missing_ok=True)
    for path in stale_spill_folders(layout):
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def exclusive_outputs(layout: Layout, wait_seconds: float, writes_reports: bool = False,
                      extra_files: tuple[Path, ...] = ()):
    """A valid data folder, writable folders, the one-writer lock, and a sweep of stale temporaries."""
    check_gate(layout, load_manifest())
    require_writable(layout.out_dir)
    if writes_reports:
        require_writable(layout.reports_dir)
    for path in extra_files:
        require_writable(path.parent)
    lock_path = layout.out_dir / LOCK_NAME
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
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
            _sweep(layout, writes_reports)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
