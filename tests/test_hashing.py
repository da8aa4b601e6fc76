"""FileHashes: one read per file per run, a fresh read when asked, a new read when the file changes."""

from __future__ import annotations

import hashlib
import os

import staffing_sql.hashing as hashing
from staffing_sql.hashing import FileHashes


def counting_reads(monkeypatch) -> list:
    reads = []
    real = hashing.sha256_file

    def counted(path):
        reads.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(hashing, "sha256_file", counted)
    return reads


def test_an_unchanged_file_is_read_once(tmp_path, monkeypatch):
    reads = counting_reads(monkeypatch)
    path = tmp_path / "workers.parquet"
    path.write_bytes(b"abc")
    hashes = FileHashes()
    assert hashes.sha256(path) == hashes.sha256(path) == hashlib.sha256(b"abc").hexdigest()
    assert reads == [str(path)]


def test_fresh_reads_the_file_even_when_its_stat_is_unchanged(tmp_path, monkeypatch):
    reads = counting_reads(monkeypatch)
    path = tmp_path / "workers.parquet"
    path.write_bytes(b"abc")
    hashes = FileHashes()
    hashes.sha256(path)
    assert hashes.sha256(path, fresh=True) == hashlib.sha256(b"abc").hexdigest()
    assert reads == [str(path), str(path)]


def test_a_replaced_file_is_read_again(tmp_path):
    path = tmp_path / "workers.parquet"
    path.write_bytes(b"abc")
    hashes = FileHashes()
    before = hashes.sha256(path)
    replacement = tmp_path / "new.parquet"
    replacement.write_bytes(b"xyz")
    stat = path.stat()
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime, another inode
    os.replace(replacement, path)
    assert hashes.sha256(path) == hashlib.sha256(b"xyz").hexdigest() != before
