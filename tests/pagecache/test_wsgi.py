"""The WSGI layer (dayfacts.wsgi.application) answers stored pages before Django: the same
bytes for everyone, and everything it must not answer left to Django."""

import contextlib
import datetime as dt
import io
import logging
import sys

import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from prometheus_client import REGISTRY

from dayfacts.facts.models import Status
from dayfacts.wsgi import application


def call(path, method="GET", **headers):
    """Call the site's WSGI application as a server would; return (status, headers, body,
    whether Django's request cycle ran)."""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2], "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    answered, ran = {}, []

    def start_response(status, response_headers, exc_info=None):
        answered["status"], answered["headers"] = status, response_headers

    def note(**kwargs):
        ran.append(True)

    # As Django's test client does: the test's transaction keeps the connection open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(note)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.disconnect(note)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(answered["status"][:3]), answered["headers"], body, bool(ran)


def header(headers, name):
    values = [value for key, value in headers if key.lower() == name.lower()]
    return values[0] if values else None


pytestmark = pytest.mark.urls("tests.pagecache.site_urls")


@pytest.fixture(autouse=True)
def cache_the_form_page(settings):
    settings.PAGECACHE_VIEWS = [*settings.PAGECACHE_VIEWS, "pagecachetest:*"]


@pytest.fixture
def stored(almanac):
    """March 20's page, rendered and stored by a first request through Django."""
    status, _, body, through_django = call("/march/20/")
    assert status == 200 and through_django
    return body


def test_a_stored_page_is_answered_without_djangos_request_cycle(stored):
    status, headers, body, through_django = call("/march/20/")
    assert status == 200
    assert not through_django
    # The same bytes, with the security headers it was stored with, and no cookie.
    assert body == stored
    assert b"The Senate ratifies the treaty" in body
    assert "default-src" in header(headers, "Content-Security-Policy")
    assert header(headers, "X-Frame-Options") == "DENY"
    assert header(headers, "Content-Length") == str(len(body))
    assert header(headers, "ETag").startswith('"')
    assert header(headers, "Set-Cookie") is None
    assert "s-maxage" in header(headers, "Cache-Control")
    assert len(header(headers, "X-Request-ID")) == 32


def test_a_head_is_answered_from_the_stored_get_without_a_body(stored):
    status, headers, body, through_django = call("/march/20/", method="HEAD")
    assert (status, body, through_django) == (200, b"", False)
    assert header(headers, "Content-Length") == str(len(stored))


def test_a_head_on_a_cold_address_stores_nothing(almanac):
    url = "/api/v1/feed/onthisday/all/03/20"
    status, _, body, _ = call(url, method="HEAD")
    assert status == 200 and body == b""
    status, _, body, through_django = call(url)
    assert status == 200 and through_django, "the GET after it was rendered, not found"
    assert b"The Senate ratifies the treaty" in body
    assert call(url)[2] == body


def test_an_address_with_a_query_string_goes_to_django(stored):
    status, _, body, through_django = call("/march/20/?utm_source=mail")
    assert status == 200 and through_django
    assert body == stored, "the parameter the view does not read changes nothing"


@pytest.mark.parametrize("headers", [
    {"cookie": "dayfacts_held=42"},
    {"cookie": "sessionid=abc"},
    {"authorization": "Bearer x"},
])
def test_personal_requests_go_to_django(stored, headers):
    status, _, _, through_django = call("/march/20/", **headers)
    assert status == 200 and through_django


def test_a_conditional_get_is_answered_by_django_with_304(stored):
    _, headers, _, _ = call("/march/20/")
    status, _, body, through_django = call("/march/20/", if_none_match=header(headers, "ETag"))
    assert (status, body, through_django) == (304, b"", True)


def test_stored_api_answers_keep_the_apis_headers_and_rate_limit(stored, settings):
    settings.DAYFACTS_API_RATE_LIMIT = "3/m"
    url = "/api/v1/feed/onthisday/all/03/20"
    first = call(url, x_forwarded_for="203.0.113.7")
    assert first[0] == 200 and first[3]
    status, headers, body, through_django = call(url)
    assert status == 200 and not through_django
    assert body == first[2]
    assert header(headers, "Access-Control-Allow-Origin") == "*"
    assert header(headers, "Cache-Control") == settings.DAYFACTS_API_CACHE_CONTROL
    assert header(headers, "Set-Cookie") is None
    # The stored answers count against the allowance like the rendered one did.
    assert call(url)[0] == 200
    status, headers, body, through_django = call(url)
    assert status == 429 and not through_django
    assert int(header(headers, "Retry-After")) >= 1
    assert header(headers, "Content-Type") == "application/problem+json"


def test_a_stored_api_answer_counts_the_reader_behind_a_trusted_proxy(stored, settings):
    settings.DAYFACTS_API_RATE_LIMIT = "1/m"
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    url = "/api/v1/feed/onthisday/all/03/20"
    assert call(url, x_forwarded_for="203.0.113.7")[0] == 200
    assert call(url, x_forwarded_for="203.0.113.8")[0] == 200  # another reader
    assert call(url, x_forwarded_for="203.0.113.7")[0] == 429


def test_posts_go_to_django(stored):
    assert call("/march/20/", method="POST")[3]


def test_an_edit_is_seen_at_once(stored, almanac):
    fact = almanac["fact"]
    fact.title = "The Senate ratifies the security treaty"
    fact.save()
    status, _, body, through_django = call("/march/20/")
    assert status == 200 and through_django
    assert b"The Senate ratifies the security treaty" in body
    assert not call("/march/20/")[3]


def test_a_scheduled_fact_shows_at_its_publish_time_on_a_page_answered_before_django(
        almanac, make_fact):
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        make_fact(title="An announcement at noon", year=2026, status=Status.SCHEDULED,
                  publish_at=dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC))
        assert call("/march/20/")[3]
        clock.move_to(dt.datetime(2026, 3, 20, 11, 59, 59, tzinfo=dt.UTC))
        _, _, body, through_django = call("/march/20/")
        assert not through_django and b"An announcement at noon" not in body
        clock.move_to(dt.datetime(2026, 3, 20, 12, 0, 1, tzinfo=dt.UTC))
        _, _, body, through_django = call("/march/20/")
        assert through_django and b"An announcement at noon" in body
        assert not call("/march/20/")[3], "the new page is stored and answered in turn"


def test_a_host_django_refuses_is_refused_not_served(stored):
    status, _, body, through_django = call("/march/20/", host="evil.example")
    assert status == 400 and through_django
    assert b"The Senate ratifies" not in body


def test_answers_from_the_store_are_counted_in_the_metrics(stored):
    def served():
        labels = {"route": "facts:day", "method": "GET", "status": "200"}
        return REGISTRY.get_sample_value("dayfacts_http_requests_total", labels) or 0

    before = served()
    call("/march/20/")
    call("/march/20/")
    assert served() == before + 2


@contextlib.contextmanager
def access_lines(level=None):
    """Collect the access log's records, at `level` (logging.INFO: as with ACCESS_LOG=1)."""
    lines = []
    handler = logging.Handler()
    handler.emit = lines.append
    access = logging.getLogger("dayfacts.access")
    access.addHandler(handler)
    before = access.level
    if level is not None:
        access.setLevel(level)
    try:
        yield lines
    finally:
        access.removeHandler(handler)
        access.setLevel(before)


def test_every_answer_gets_one_access_line_without_personal_data(stored):
    with access_lines(logging.INFO) as lines:
        call("/march/20/", x_request_id="req-77")
        call("/no-such-page/reader@example.org/")
    hit, missing = lines
    assert (hit.method, hit.path, hit.status, hit.request_id) == ("GET", "/march/20/", 200,
                                                                  "req-77")
    assert hit.bytes == len(stored)
    assert missing.status == 404 and missing.bytes > 0
    assert "reader@example.org" not in missing.getMessage()
    assert missing.path.startswith("/no-such-page/<email ")


def test_the_access_log_is_off_unless_asked_for(stored):
    with access_lines() as lines:
        call("/march/20/")
    assert lines == []
