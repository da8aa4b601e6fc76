"""The start-up gate refuses a lakehouse without its scenario or lesson folder, before any work."""

from __future__ import annotations

import shutil

import pytest

from conftest import make_layout, run_cli


@pytest.mark.parametrize("folder", ["scenarios", "_playbook_lessons"])
def test_a_missing_document_folder_is_one_line_naming_it_and_exit_2(minimal_lakehouse, tmp_path, folder):
    layout = make_layout(tmp_path)
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    shutil.rmtree(layout.data_dir / folder)
    result = run_cli("build", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, result.stderr
    assert str(layout.data_dir / folder) in errors[0] and "folder not found" in errors[0]
    assert "Traceback" not in result.stderr and "IOException" not in result.stderr
    # refused before any work: no layer was built
    assert not any((layout.out_dir / layer).exists() for layer in ("normalised", "safe", "derived"))
