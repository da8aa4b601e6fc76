"""phone_pattern(), the scan's phone detector: each written form it promises is matched."""

from __future__ import annotations

import duckdb
import pytest

from staffing_sql.database import install_macros


@pytest.mark.parametrize("text", ["(614) 555-0142", "call (614)555-0142 today", "614-555-0142", "+1 614 555 0142"])
def test_phone_pattern_matches_the_written_forms(text):
    con = duckdb.connect()
    install_macros(con, "test-key-phone-pattern")
    assert con.execute("select regexp_matches($text, phone_pattern())", {"text": text}).fetchone()[0] is True
