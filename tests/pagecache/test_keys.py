"""The cache key holds only what the view reads: its query parameters, a configured host and
a GET. Nothing a client can vary at will (junk parameters, made-up hosts, HEAD) adds a page
to the store or changes the one a GET gets."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def stored_entries():
    # The local-memory cache of the test settings: how many pages it holds now.
    return sum(1 for key in caches["default"]._cache if "pagecache:page:" in key)


def rendered(client, url, **extra):
    """(response, whether the view ran: the database was asked)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries) > 0


def test_ten_thousand_junk_query_strings_leave_the_day_page_in_the_cache(client, almanac):
    page = client.get("/march/20/").content
    entries = stored_entries()
    for n in range(10_000):
        response = client.get(f"/march/20/?x={n}")
        assert response.status_code == 200
    assert stored_entries() == entries, "no junk address was stored"
    again, ran = rendered(client, "/march/20/")
    assert again.content == page and not ran


def test_a_junk_parameter_gets_the_clean_addresss_page(client, almanac):
    clean = client.get("/march/20/").content
    response, ran = rendered(client, "/march/20/?q=zz-injected-zz&utm_source=mail")
    assert not ran and response.content == clean
    # The view never sees what it does not read: the search box stays empty.
    assert b"zz-injected-zz" not in response.content


def test_parameters_the_view_reads_key_their_own_pages(client, make_fact):
    for n in range(3):
        make_fact(title=f"Treaty number {n}", year=1950 + n)
    first = client.get("/api/v1/facts?limit=1").json()
    second = client.get("/api/v1/facts?limit=2").json()
    assert len(first["items"]) == 1 and len(second["items"]) == 2
    # Order and junk do not make a new page.
    response, _ = rendered(client, "/api/v1/facts?fields=title&junk=1&limit=1")
    keyed, ran = rendered(client, "/api/v1/facts?limit=1&fields=title")
    assert keyed.json() == response.json() and not ran


def test_a_page_number_past_the_end_is_a_404_not_a_new_copy(client, make_fact):
    make_fact(kind="birth", title="Someone is born")
    assert client.get("/march/20/births/?page=1").status_code == 200
    assert client.get("/march/20/births/?page=99").status_code == 404
    assert client.get("/march/20/births/?page=junk").status_code == 404


def test_a_reply_link_is_rendered_and_never_stored(client, almanac):
    url = almanac["fact"].get_absolute_url() + "?replytocom=1"
    client.get(url)
    entries = stored_entries()
    _, ran = rendered(client, url)
    assert ran and stored_entries() == entries


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver:80", "testserver:8081"])
def test_spellings_of_a_configured_host_share_its_page(almanac, host):
    Client().get("/march/20/")
    response, ran = rendered(Client(HTTP_HOST=host), "/march/20/")
    assert response.status_code == 200 and not ran


def test_a_host_matched_only_by_a_wildcard_is_served_and_not_stored(almanac, settings):
    settings.ALLOWED_HOSTS = [".example.org", "testserver"]
    entries = stored_entries()
    for name in ("a", "b", "c"):
        response, ran = rendered(Client(HTTP_HOST=f"{name}.example.org"), "/march/20/")
        assert response.status_code == 200 and ran
    assert stored_entries() == entries


def test_a_head_never_changes_what_a_get_returns(client, almanac):
    url = "/api/v1/feed/onthisday/all/03/20"
    assert client.head(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 200
    assert "The Senate ratifies the treaty" in response.content.decode()
    page = client.head("/march/21/")
    assert page.status_code == 200
    assert "Kenny Washington" in client.get("/march/21/").content.decode()


def test_shared_caches_are_told_to_keep_only_the_clean_address(client, almanac):
    # The nginx front cache and CDNs key on the address as sent: a junk one stays private.
    assert "s-maxage" in client.get("/march/20/")["Cache-Control"]
    assert client.get("/march/20/?x=1")["Cache-Control"] == "private, max-age=0"
    assert client.get("/years/1952/?x=1&page=1")["Cache-Control"] == "private, max-age=0"
    assert "s-maxage" in client.get("/years/1952/?page=1")["Cache-Control"]
