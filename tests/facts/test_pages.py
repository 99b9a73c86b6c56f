import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dayfacts.facts.models import Status


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def march(make_fact):
    """A small March: a featured fact on the 20th with company, headlines either side."""
    return {
        "featured": make_fact(title="Treaty ratified", year=1952, featured=True,
                              body="The *Senate* voted.", summary="The Senate voted."),
        "event": make_fact(title="Another event", year=1066),
        "birth": make_fact(title="Somebody born", year=-44, kind="birth"),
        "death": make_fact(title="Somebody died", year=1727, kind="death"),
        "holiday": make_fact(title="Spring festival", year=None, kind="holiday"),
        "draft": make_fact(title="Unfinished draft", status=Status.DRAFT),
        "previous": make_fact(day=19, title="Versailles rejected", featured=True, year=1920,
                              body="x"),
        "next": make_fact(day=21, title="Rams sign Washington", featured=True, year=1946,
                          body="x"),
    }


def test_a_day_page_takes_the_same_few_queries_however_long_its_lists(
        client, march, make_fact, django_assert_max_num_queries, settings):
    settings.PAGECACHE_ENABLED = False
    client.get("/march/20/")
    make_fact(title="A change, so that the page computes its lists again")
    with CaptureQueriesContext(connection) as few:
        client.get("/march/20/")
    for n in range(40):
        make_fact(title=f"Crowd {n}", kind=["event", "birth", "death", "holiday"][n % 4],
                  source_name="Somewhere", licence="CC BY-SA 4.0", attribution="Someone")
    # A field a listed entry reads but its query left out would cost a query per entry.
    with django_assert_max_num_queries(len(few)):
        response = client.get("/march/20/")
    assert "Crowd 39" in response.content.decode()


def test_day_page_shows_everything_the_day_has(client, march):
    response = client.get("/march/20/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert re.search(r"<h1>\s*March 20th: Treaty ratified\s*</h1>", html)
    assert "<em>Senate</em>" in html
    assert "More events on March 20" in text and "1066 Another event" in text
    assert "Notable Births &amp; Passings" in html
    assert "44 BC Somebody born" in text and "1727 Somebody died" in text
    assert "Holidays &amp; Observances" in html and "Spring festival" in text
    assert "Unfinished draft" not in text
    assert "Previous Fact March 19th: Versailles rejected" in text
    assert "Next Fact March 21st: Rams sign Washington" in text
    assert 'href="/march/19/"' in html and 'href="/march/21/"' in html
    assert 'href="/years/44-bc/"' in html


def test_skip_link_is_the_first_focusable_element(client, march):
    html = client.get("/march/20/").content.decode()
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", html)
    assert 'href="#content"' in first.group(0)
    assert "Skip to content" in html[first.start(): first.start() + 200]
    assert 'id="content"' in html


def test_an_empty_day_still_has_a_page(client, db):
    response = client.get("/july/4/")
    assert response.status_code == 200
    assert "July 4th" in response.content.decode()
    assert "Previous Fact" in response.content.decode()


def test_day_page_lists_are_bounded_with_a_link_to_all(client, make_fact):
    make_fact(title="The headline", featured=True)
    for n in range(25):
        make_fact(kind="birth", title=f"Born {n}", notability=n)
    with override_settings(DAYFACTS_DAY_PAGE_LIMIT=20):
        text = text_of(client.get("/march/20/"))
    assert "Born 24" in text and "Born 5" in text
    assert "Born 4" not in text.replace("Born 24", "")
    assert "All 25 births" in text
    full = client.get("/march/20/births/")
    assert full.status_code == 200
    assert all(f"Born {n}" in text_of(full) for n in range(25))


@pytest.mark.parametrize(
    "url", ["/february/30/", "/march/32/", "/smarch/1/", "/march/020/", "/march/0/",
            "/March/20/", "/march/20/nonsense/", "/facts/no-such-fact/", "/years/0/",
            "/years/0044/", "/topics/nothing/", "/%00/", "/march/-1/"],
)
def test_bad_addresses_are_the_sites_own_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is no such page" in response.content.decode()


def test_feb_29_has_its_own_page(client, make_fact):
    make_fact(month=2, day=29, title="Leap day event", featured=True)
    response = client.get("/february/29/")
    assert response.status_code == 200
    text = text_of(response)
    assert "February 29th: Leap day event" in text
    assert "Previous Fact February 28th" in text and "Next Fact March 1st" in text


def test_todays_page_follows_the_site_time_zone(client, make_fact):
    make_fact(month=3, day=20, title="Twentieth", featured=True)
    make_fact(month=3, day=21, title="Twenty-first", featured=True)
    # 23:30 UTC on March 20 is already March 21 in Tokyo.
    with time_machine.travel(dt.datetime(2026, 3, 20, 23, 30, tzinfo=dt.UTC), tick=False):
        with override_settings(TIME_ZONE="UTC"):
            utc = client.get("/")
        with override_settings(TIME_ZONE="Asia/Tokyo"):
            tokyo = client.get("/")
    assert "March 20th: Twentieth" in text_of(utc)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/march/20/">' in utc.content.decode()
    assert "March 21st: Twenty-first" in text_of(tokyo)


def test_feb_28_of_a_common_year_also_shows_feb_29(client, make_fact):
    make_fact(month=2, day=28, title="Twenty-eighth", featured=True)
    make_fact(month=2, day=29, title="Leap day birth", kind="birth")
    with time_machine.travel(dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        common = text_of(client.get("/"))
    with time_machine.travel(dt.datetime(2028, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        leap = text_of(client.get("/"))
    # In a common year the birth is listed on Feb 28; in a leap year only the Next Fact link
    # (Feb 29's headline) names it.
    assert "Leap day birth" in common.split("Born on February 28")[1]
    assert "Born on February 28" not in leap
    assert "Next Fact February 29th: Leap day birth" in leap


def test_todays_page_counts_years_and_calls_out_round_anniversaries(client, make_fact):
    make_fact(title="The headline", featured=True)
    make_fact(title="Seventy five", year=1951, kind="birth")
    make_fact(title="Seventy four", year=1952, kind="birth")
    make_fact(title="Roman", year=-44, kind="birth")
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        html = client.get("/").content.decode()
    assert re.search(r'class="ago round">75 years ago', html)
    assert re.search(r'class="ago">74 years ago', html)
    assert "2069 years ago" in html  # 44 BC to AD 2026: no year 0


def test_fact_permalink(client, march):
    fact = march["featured"]
    response = client.get(fact.get_absolute_url())
    assert response.status_code == 200
    text = text_of(response)
    assert "March 20th: Treaty ratified" in text
    assert "Previous Fact March 19th: Versailles rejected" in text
    assert 'href="/march/20/"' in response.content.decode()


def test_drafts_have_no_permalink(client, march):
    assert client.get(march["draft"].get_absolute_url()).status_code == 404


def test_month_page_lists_each_day_with_its_headline(client, march):
    response = client.get("/march/")
    assert response.status_code == 200
    text = text_of(response)
    assert "March 20th Treaty ratified" in text
    assert "March 31st" in text and "March 32" not in text
    assert client.get("/february/").content.decode().count("February 29th") == 1


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
