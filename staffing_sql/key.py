"""The PII key: from STAFFING_SQL_KEY or a key file, else a loud development key.

The key is bound into DuckDB as a session variable and used by pii_token; it
is never put into SQL text, a file the product writes, a log or a message.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import click

from staffing_sql.errors import CannotRun

DEVELOPMENT_KEY = "staffing-sql development key: not a secret, tokens made with it are reversible by anyone"
ENV_KEY = "STAFFING_SQL_KEY"
ENV_KEY_FILE = "STAFFING_SQL_KEY_FILE"
ENV_STRICT = "STAFFING_SQL_STRICT"


def strict_from_env() -> bool:
    return os.environ.get(ENV_STRICT, "").strip().lower() in {"1", "true", "yes", "on"}


def load_key(key_file: str | None = None, strict: bool = False) -> str:
    """Return the key; in strict mode (production) refuse to fall back."""
    key_file = key_file or os.environ.get(ENV_KEY_FILE)
    if key_file:
        path = Path(key_file)
        try:
            key = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise CannotRun(f"{path}: key file not found") from None
        except (OSError, UnicodeDecodeError):
            raise CannotRun(f"{path}: key file cannot be read as UTF-8 text") from None
        if not key:
            raise CannotRun(f"{path}: key file is empty")
        return key
    key = os.environ.get(ENV_KEY, "")
    if key.strip():
        return key.strip()
    if strict or strict_from_env():
        raise CannotRun(
            f"no PII key: set {ENV_KEY} or pass --key-file (strict mode refuses the development key)"
        )
    click.secho(
        f"WARNING: no PII key set ({ENV_KEY} or --key-file): using the built-in DEVELOPMENT key. "
        "Tokens made with it are NOT secret; never use it on real data.",
        fg="yellow",
        bold=True,
        err=True,
    )
    return DEVELOPMENT_KEY


def key_fingerprint(key: str) -> str:
    """A short, domain-separated digest so outputs know which key made them.

    It identifies the key, it does not reveal it; a weak key is weak anyway.
    """
    return hashlib.sha256(b"staffing-sql key fingerprint\x1f" + key.encode("utf-8")).hexdigest()[:16]


def is_development_key(key: str | None) -> bool:
    return key == DEVELOPMENT_KEY


def key_facts(key: str | None) -> dict:
    """What every output records about the key: its fingerprint and whether it is the development key.

    Tokens made with the development key can be recomputed by anyone who
    reads this repository, so a database or report built with it says so.
    """
    return {"key_fingerprint": key_fingerprint(key or ""), "development_key": is_development_key(key)}
