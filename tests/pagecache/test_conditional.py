"""Conditional GET: ETag and Last-Modified answered with 304 until the page changes."""

import datetime as dt

import time_machine
from django.utils.http import http_date

NOON = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)


def test_an_unchanged_page_answers_304(client, almanac):
    first = client.get("/march/20/")
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/march/20/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/march/20/", headers={"if-modified-since": modified})
    assert since.status_code == 304


def test_an_edit_changes_the_etag_and_answers_200(client, almanac):
    etag = client.get("/march/20/")["ETag"]
    fact = almanac["fact"]
    fact.title = "A new title"
    fact.save()
    response = client.get("/march/20/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "A new title" in response.content.decode()


def test_an_old_if_modified_since_answers_200(client, almanac):
    response = client.get("/march/20/", headers={"if-modified-since": http_date(0)})
    assert response.status_code == 200


def test_pages_with_a_token_are_private_to_the_browser(client, almanac):
    response = client.get("/march/20/")
    control = response["Cache-Control"]
    if "csrfmiddlewaretoken" in response.content.decode():
        assert "private" in control
    assert "max-age=0" in control


def test_the_front_cache_gets_a_shared_copy(client, almanac, settings):
    settings.PAGECACHE_SHARED_MAX_AGE = 7
    # At noon the day is far from turning, so the setting alone bounds the lifetime.
    with time_machine.travel(NOON, tick=False):
        response = client.get("/march/20/", headers={"x-dayfacts-front-cache": "1"})
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=7"
    assert "csrftoken" not in response.cookies


def test_the_front_cache_lets_go_of_a_page_when_the_day_turns(client, almanac, settings):
    # The front page shows today: a copy kept past midnight would show yesterday.
    settings.PAGECACHE_SHARED_MAX_AGE = 300
    three_seconds_to_midnight = dt.datetime(2026, 3, 20, 23, 59, 57, tzinfo=dt.UTC)
    with time_machine.travel(three_seconds_to_midnight, tick=False):
        response = client.get("/march/20/", headers={"x-dayfacts-front-cache": "1"})
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=3"


def test_a_page_from_the_cache_carries_the_sites_security_headers(client, almanac):
    fresh = client.get("/march/20/")
    cached = client.get("/march/20/")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                   "Referrer-Policy"):
        if fresh.has_header(header):
            assert cached[header] == fresh[header], header
    assert cached.has_header("X-Frame-Options")


def test_a_returning_reader_keeps_their_csrf_cookie_on_a_cached_page(client, almanac):
    client.get("/march/20/")
    first = client.cookies.get("csrftoken")
    response = client.get("/march/20/")
    if first is None:
        return  # the page has no form yet
    # Django sends the cookie again to renew it; its secret stays the reader's own.
    if "csrftoken" in response.cookies:
        assert response.cookies["csrftoken"].value == first.value
    assert client.cookies["csrftoken"].value == first.value
