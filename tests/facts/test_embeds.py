"""Embeds: a day's headline and three entries in a page any site may frame, and only there."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext


def frame_ancestors(response):
    return re.search(r"frame-ancestors ([^;]+)", response["Content-Security-Policy"]).group(1)


@pytest.fixture
def march_20(make_fact):
    return {
        "featured": make_fact(title="Treaty ratified", year=1952, featured=True,
                              summary="The Senate voted.", licence="CC BY-SA 4.0",
                              source_name="An almanac"),
        "events": [make_fact(title=f"Event {n}", year=1900 + n, notability=n)
                   for n in range(1, 6)],
        "birth": make_fact(title="Somebody born", year=-44, kind="birth", notability=99),
        "draft": make_fact(title="Unfinished draft", status="draft", notability=100),
    }


def test_the_embed_shows_the_headline_and_the_three_most_notable_entries(client, march_20):
    page = client.get("/embed/march/20/").content.decode()
    assert "Treaty ratified" in page and "The Senate voted." in page
    listed = re.findall(r'<li><span class="embed-year">[^<]+</span> <a href="([^"]+)" '
                        r'target="_blank" rel="noopener">([^<]+)</a></li>', page)
    assert [title for _, title in listed] == ["Event 5", "Event 4", "Event 3"]
    assert "Somebody born" not in page and "Unfinished draft" not in page
    # Every link leaves the frame: the pages it leads to refuse to be framed.
    assert page.count("<a ") == page.count('target="_blank" rel="noopener"') == 6
    assert "<form" not in page and "<script" not in page
    assert "An almanac" in page and "CC BY-SA 4.0" in page


def test_today_s_embed_is_the_site_s_today(client, march_20):
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        page = client.get("/embed/today/").content.decode()
    assert "March 20th" in page and "Treaty ratified" in page


def test_a_day_without_entries_says_so(client, db):
    page = client.get("/embed/february/29/")
    assert page.status_code == 200 and b"No entries for February 29 yet." in page.content


def test_any_site_may_frame_the_embeds_and_no_other_page(client, march_20):
    for address in ["/embed/march/20/", "/embed/today/"]:
        response = client.get(address)
        assert frame_ancestors(response) == "*"
        assert "X-Frame-Options" not in response
        assert "script-src 'self'" in response["Content-Security-Policy"]
        # The same from the page cache's store.
        with CaptureQueriesContext(connection) as queries:
            again = client.get(address)
        assert len(queries) == 0
        assert frame_ancestors(again) == "*" and "X-Frame-Options" not in again
    for address in ["/embed/", "/march/20/", "/play/march/20/", "/"]:
        response = client.get(address)
        assert frame_ancestors(response) == "'none'", address
        assert response["X-Frame-Options"] == "DENY", address


def test_the_snippet_page_gives_the_frame_to_copy(client, march_20, settings):
    page = client.get("/embed/").content.decode()
    assert (f'&lt;iframe src=&quot;{settings.SITE_URL}/embed/today/&quot; '
            f'title=&quot;dayfacts: on this day&quot;') in page
    assert re.search(r"&lt;iframe src=&quot;[^&]+/embed/[a-z]+/\d+/&quot;", page)
    assert '<iframe class="embed-preview" src="/embed/today/"' in page


@pytest.mark.parametrize("address", ["/embed/february/30/", "/embed/march/020/",
                                     "/embed/tomorrow/", "/embed/march/20/extra/"])
def test_an_embed_of_no_day_is_a_404(client, db, address):
    assert client.get(address).status_code == 404
