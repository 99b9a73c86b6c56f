"""bench/soak.py's scenarios, smaller: load, a killed server and a stopped PostgreSQL.

Each starts gunicorn on a free loopback port over a database of its own; none touches the
test database or the machine's PostgreSQL.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"
spec = importlib.util.spec_from_file_location("soak", SOAK)
soak = importlib.util.module_from_spec(spec)
spec.loader.exec_module(soak)


def explain(result):
    return "\n".join(f"{key}: {value}" for key, value in result.items())


def test_mixed_load_on_sqlite_gives_no_server_error_and_loses_no_comment():
    result = soak.sqlite_scenario(seconds=6, connections=12)
    assert result["acknowledged"] > 0, explain(result)
    assert result["sign-ups"] > 0, explain(result)
    assert result["5xx"] == 0, explain(result)
    assert result["lost"] == 0, explain(result)
    assert result["integrity_check"] == "ok"


def test_a_server_killed_mid_write_loses_nothing_it_acknowledged():
    result = soak.sqlite_scenario(seconds=8, connections=12, kill=True)
    assert result["restart_s"] is not None, explain(result)
    assert result["acknowledged"] > 0, explain(result)
    assert result["lost"] == 0, explain(result)
    assert result["5xx"] == 0, explain(result)
    assert result["integrity_check"] == "ok", explain(result)


needs_postgres_binaries = pytest.mark.skipif(
    not (soak.PG_BIN / "initdb").exists()
    or (os.geteuid() == 0 and not shutil.which("runuser")),
    reason=f"PostgreSQL's server binaries are not at {soak.PG_BIN}",
)


@needs_postgres_binaries
def test_a_stopped_postgresql_gives_a_clear_503_and_the_site_recovers_by_itself():
    # Thirds of 4 s: load, outage, recovery (with room for a slow, shared machine).
    result = soak.postgres_scenario(seconds=12, connections=8)
    during = result["during_outage"]
    assert during.get(503, 0) > 0, explain(result)
    assert not [status for status in during if status >= 500 and status != 503], explain(result)
    assert result["tracebacks"] == 0, explain(result)
    assert result["samples"] == {}, explain(result)  # every 503 was the "Back soon" page
    assert result["recovered_s"] is not None, explain(result)
    assert result["lost"] == 0, explain(result)


def test_the_back_soon_page_needs_no_database_and_keeps_the_security_headers(rf):
    from dayfacts.ops.resilience import database_unavailable

    # No db fixture: pytest-django fails the test if rendering the page touches the database.
    response = database_unavailable(rf.get("/"))
    assert response.status_code == 503
    assert b"Back soon" in response.content
    assert response["Retry-After"].isdigit()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
