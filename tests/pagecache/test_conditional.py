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


def test_every_cache_gets_the_one_shared_copy(client, almanac, settings):
    settings.PAGECACHE_SHARED_MAX_AGE = 7
    # At noon the day is far from turning, so the setting alone bounds the lifetime.
    with time_machine.travel(NOON, tick=False):
        for _ in range(2):  # rendered, then from the store
            response = client.get("/march/20/")
            assert response["Cache-Control"] == "public, max-age=0, s-maxage=7"
            assert not response.cookies


def test_shared_caches_let_go_of_a_page_when_the_day_turns(client, almanac, settings):
    # The front page shows today: a copy kept past midnight would show yesterday.
    settings.PAGECACHE_SHARED_MAX_AGE = 300
    three_seconds_to_midnight = dt.datetime(2026, 3, 20, 23, 59, 57, tzinfo=dt.UTC)
    with time_machine.travel(three_seconds_to_midnight, tick=False):
        response = client.get("/march/20/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=3"


def test_a_page_from_the_cache_carries_the_sites_security_headers(client, almanac):
    fresh = client.get("/march/20/")
    cached = client.get("/march/20/")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                   "Referrer-Policy"):
        if fresh.has_header(header):
            assert cached[header] == fresh[header], header
    assert cached.has_header("X-Frame-Options")
