"""Where the project's SQL lives and where a run reads and writes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = PROJECT_ROOT / "manifest.toml"

# The raw layer: the product reads these folders and never writes into them
# (the synthetic generator is the only writer, and only on request).
RAW_FOLDERS = ("datasets", "scenarios", "_playbook_lessons")


@dataclass(frozen=True)
class Layout:
    """The folders of one lakehouse: raw input, generated output, reports."""

    data_dir: Path
    out_dir: Path
    reports_dir: Path

    @classmethod
    def from_options(cls, data_dir=None, out_dir=None, reports_dir=None) -> "Layout":
        def pick(value, env, default):
            chosen = value or os.environ.get(env) or default
            return Path(chosen).expanduser().absolute()

        return cls(
            data_dir=pick(data_dir, "STAFFING_SQL_DATA_DIR", "data"),
            out_dir=pick(out_dir, "STAFFING_SQL_OUT_DIR", "build"),
            reports_dir=pick(reports_dir, "STAFFING_SQL_REPORTS_DIR", "reports/staffing"),
        )

    @property
    def datasets_dir(self) -> Path:
        return self.data_dir / "datasets"

    @property
    def scenarios_dir(self) -> Path:
        return self.data_dir / "scenarios"

    @property
    def lessons_dir(self) -> Path:
        return self.data_dir / "_playbook_lessons"

    @property
    def spill_dir(self) -> Path:
        """DuckDB's spill files, one folder per process: ``<out>/.spill/<pid>``."""
        return self.out_dir / ".spill"

    @property
    def generated_record(self) -> Path:
        return self.data_dir / "GENERATED.json"
