"""staffing-sql normalize-phones: decision D materialised for downstream systems (idempotent).

The build never needs this: it computes the normalised layer on read. The
files written here are raw data with their phones fixed, PII by design, so
they go only where the user says (--out), never into the output, reports or
raw folders, readable by their owner only (0600), with a BUILD.json record
of every input and output's sha256.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
import duckdb

from staffing_sql.errors import CannotRun
from staffing_sql.gate import open_lakehouse
from staffing_sql.manifest import load_manifest
from staffing_sql.options import layout_options
from staffing_sql.outputs import require_writable, stale_temporaries
from staffing_sql.pipeline import Lakehouse, write_normalised


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_shared_folder(target: Path, layout) -> None:
    """The PII copy must not land where analysts, reports or the raw layer live."""
    resolved = target.resolve()
    for label, folder in (("output folder", layout.out_dir), ("reports folder", layout.reports_dir),
                          ("data folder", layout.data_dir)):
        if _inside(resolved, folder.resolve()):
            raise CannotRun(f"{target}: --out is inside the {label} {folder}; the normalised files hold PII, "
                            "name a folder outside it")


@click.command("normalize-phones")
@layout_options
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Folder to write the normalised files into (PII: never inside --out-dir, --reports-dir or --data-dir).")
def normalize_phones(layout, out):
    """Write decision D's normalised files (phones as '(NNN) NNN-NNNN' strings, flagged when invalid) into DIR."""
    target = Path(out).expanduser().absolute()
    refuse_shared_folder(target, layout)
    # Every input check (gate, schemas, JSON shapes) before DIR is created: they read metadata only.
    manifest = load_manifest()
    with duckdb.connect() as con:
        open_lakehouse(con, layout, manifest)
    existed = target.is_dir()
    require_writable(target)
    if not existed:
        os.chmod(target, 0o700)
    # A killed run's staged files are PII too: delete them (their writer is gone).
    for path in stale_temporaries(target, recursive=False):
        path.unlink(missing_ok=True)
    # The fixup needs no PII key: it tokenises nothing. DuckDB spills beside the files it writes.
    lake = Lakehouse.open(layout, key=None, manifest=manifest, spill_dir=target / f".spill-{os.getpid()}")
    try:
        result = write_normalised(lake, target)
    finally:
        lake.close()
    state = "written" if result.rebuilt else "already up to date"
    click.echo(f"normalised files {state}: {target} (PII: raw data with phones fixed; mode 0600)", err=True)
