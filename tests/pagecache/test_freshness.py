"""Cached pages are served without rendering, yet never show anything stale."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dayfacts.facts.models import Fact, Status

PAGES = ["/march/20/", "/march/19/", "/march/21/", "/march/", "/facts/senate-ratifies/",
         "/topics/treaties/", "/years/1952/", "/"]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_cached_page_is_served_without_touching_the_database(client, almanac):
    first = get(client, "/march/20/")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/march/20/")
    assert len(queries) == 0
    assert "The Senate ratifies the treaty" in second
    assert first == second


@time_machine.travel(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False)
def test_editing_a_fact_leaves_no_page_stale(client, almanac):
    for url in PAGES:
        assert "The Senate ratifies the treaty" in get(client, url), url
    fact = almanac["fact"]
    fact.title = "The Senate approves the security treaty"
    fact.save()
    for url in PAGES:
        page = get(client, url)
        assert "The Senate approves the security treaty" in page, url
        assert "The Senate ratifies the treaty" not in page, url


def test_deleting_or_unpublishing_a_fact_removes_it_everywhere(client, almanac, make_fact):
    other = make_fact(title="A minor event", year=1990)
    assert "A minor event" in get(client, "/march/20/")
    assert "A minor event" in get(client, "/years/1990/")
    other.status = Status.DRAFT
    other.save()
    assert "A minor event" not in get(client, "/march/20/")
    almanac["fact"].delete()
    assert "The Senate ratifies the treaty" not in get(client, "/march/20/")
    assert client.get("/facts/senate-ratifies/").status_code == 404


def test_renaming_a_topic_shows_on_its_pages(client, almanac):
    assert "Treaties" in get(client, "/topics/")
    topic = almanac["topic"]
    topic.name = "Diplomacy"
    topic.save()
    assert "Diplomacy" in get(client, "/topics/")
    assert "Diplomacy" in get(client, "/topics/treaties/")


def test_changing_a_facts_topics_shows(client, almanac, make_fact):
    fact = make_fact(title="A trade agreement", year=1960)
    assert "A trade agreement" not in get(client, "/topics/treaties/")
    fact.topics.add(almanac["topic"])
    assert "A trade agreement" in get(client, "/topics/treaties/")


def test_a_scheduled_fact_appears_at_its_publish_time(client, almanac, make_fact):
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        make_fact(title="An announcement at noon", year=2026, status=Status.SCHEDULED,
                  publish_at=dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC))
        for url in ("/march/20/", "/years/2026/"):
            assert "An announcement at noon" not in get(client, url)
        clock.move_to(dt.datetime(2026, 3, 20, 11, 59, 59, tzinfo=dt.UTC))
        with CaptureQueriesContext(connection) as queries:
            assert "An announcement at noon" not in get(client, "/march/20/")
        assert len(queries) == 0, "the page is cached until the publish time"
        clock.move_to(dt.datetime(2026, 3, 20, 12, 0, 1, tzinfo=dt.UTC))
        for url in ("/march/20/", "/years/2026/"):
            assert "An announcement at noon" in get(client, url), url


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_the_front_page_turns_over_at_midnight_in_the_site_time_zone(client, settings, almanac,
                                                                     zone):
    settings.TIME_ZONE = zone
    from zoneinfo import ZoneInfo

    local = ZoneInfo(zone)
    with time_machine.travel(dt.datetime(2026, 3, 20, 23, 59, 30, tzinfo=local),
                             tick=False) as clock:
        assert "The Senate ratifies the treaty" in get(client, "/")
        clock.move_to(dt.datetime(2026, 3, 21, 0, 0, 5, tzinfo=local))
        page = get(client, "/")
        assert "The Rams sign Kenny Washington" in page
        assert "The Senate ratifies the treaty" not in page.split("Previous")[0]


def test_a_bulk_write_is_made_visible_by_content_changed(client, almanac):
    from dayfacts.facts.signals import content_changed

    assert "The Senate ratifies the treaty" in get(client, "/march/20/")
    Fact.objects.filter(pk=almanac["fact"].pk).update(title="Renamed in bulk")
    content_changed.send(sender=Fact)
    assert "Renamed in bulk" in get(client, "/march/20/")


def test_disabled_cache_renders_every_time(client, settings, almanac):
    settings.PAGECACHE_ENABLED = False
    get(client, "/march/20/")
    with CaptureQueriesContext(connection) as queries:
        get(client, "/march/20/")
    assert len(queries) > 0


@time_machine.travel(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False)
def test_api_answers_and_feeds_are_cached_and_never_stale(client, almanac):
    from django.urls import NoReverseMatch, reverse

    urls = []
    for name, kwargs in (("api:day", {"mm": "03", "dd": "20"}), ("syndication:rss", {})):
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    if not urls:
        pytest.skip("neither the API nor the feeds route yet")
    for url in urls:
        assert "The Senate ratifies the treaty" in get(client, url), url
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        assert len(queries) == 0, url
    fact = almanac["fact"]
    fact.title = "The Senate approves the security treaty"
    fact.save()
    for url in urls:
        assert "The Senate approves the security treaty" in get(client, url), url


def test_an_import_shows_on_cached_pages_at_once(client, almanac, tmp_path):
    from django.core.management import call_command

    assert "A fact brought in by import" not in get(client, "/march/20/")
    assert "A fact brought in by import" not in get(client, "/years/1999/")
    data = tmp_path / "facts.csv"
    data.write_text("month,day,year,title\n3,20,1999,A fact brought in by import\n")
    call_command("import", "csv", str(data), stdout=open(tmp_path / "out.txt", "w"))
    assert "A fact brought in by import" in get(client, "/march/20/")
    assert "A fact brought in by import" in get(client, "/years/1999/")
