"""The embed and the display API keep answering from the cache while the database is away,
as the day page does; what was never cached gets the clear 503."""

import contextlib
import datetime as dt

import time_machine
from django.db import connection

from tests.servers import free_port

NOON_ON_MARCH_20 = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
KEPT = ["/march/20/", "/embed/march/20/", "/embed/today/", "/api/v1/display/03/20",
        "/api/v1/display/today", "/api/v1/display/today?tz=Europe/Paris", "/play/march/20/"]


@contextlib.contextmanager
def database_unreachable(tmp_path):
    """Point the site's connection at a database that cannot be reached, then back."""
    connection.close()
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "dayfacts.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_cached_answers_outlive_the_database_and_the_rest_is_a_503(client, transactional_db,
                                                                    make_fact, tmp_path):
    make_fact(title="Treaty ratified", year=1952, featured=True)
    with time_machine.travel(NOON_ON_MARCH_20, tick=False):
        before = {address: client.get(address) for address in KEPT}
        assert all(response.status_code == 200 for response in before.values())
        with database_unreachable(tmp_path):
            for address in KEPT:
                response = client.get(address)
                assert response.status_code == 200, address
                assert response.content == before[address].content, address
            # Never asked before: the database would have to answer, and cannot.
            for address in ["/embed/march/21/", "/api/v1/display/03/21", "/march/21/"]:
                response = client.get(address)
                assert response.status_code == 503, address
                assert b"Back soon" in response.content
        assert client.get("/api/v1/display/03/21").status_code == 200
