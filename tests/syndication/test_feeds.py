import datetime as dt

import feedparser
import pytest
import time_machine

MARCH_20 = dt.datetime(2031, 3, 20, 12, tzinfo=dt.UTC)


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("url,content_type", [("/feed/rss/", "application/rss+xml"),
                                              ("/feed/atom/", "application/atom+xml")])
def test_featured_feeds_list_each_days_headline_newest_first(client, almanac, url,
                                                              content_type, settings):
    with time_machine.travel(MARCH_20):
        response, feed = parse(client, url)
    assert response["Content-Type"].startswith(content_type)
    titles = [entry.title for entry in feed.entries]
    assert titles[:2] == ["March 20, 1815: Treaty of Paris",
                          "March 19, 1969: Moon landing </script>"]
    assert not any("Not yet" in title for title in titles)
    first = feed.entries[0]
    assert first.link == settings.SITE_URL + almanac["today"].get_absolute_url()
    assert "<em>ended</em>" in first.summary
    assert [tag.term for tag in first.tags] == ["Space"]
    # The same fact comes back next year: its id carries the date it was shown.
    assert first.id.endswith("#2031-03-20")
    assert first.published_parsed[:3] == (2031, 3, 20)


def test_the_featured_feed_reaches_back_thirty_days(client, almanac):
    with time_machine.travel(MARCH_20):
        _, feed = parse(client, "/feed/rss/")
    days = [entry.title.split(":")[0] for entry in feed.entries]
    # Feb 29 is no day of 2031: its fact is not anyone's headline in a common year.
    assert days == ["March 20, 1815", "March 19, 1969", "March 15, 44 BC"]


def test_topic_feeds_list_the_topics_recent_anniversaries(client, almanac):
    for kind in ("rss", "atom"):
        with time_machine.travel(MARCH_20):
            _, feed = parse(client, f"/feed/topics/space/{kind}/")
        assert feed.feed.title == "dayfacts: Space, on this day"
        # Thirty days back from March 20 reach Feb 28, which in 2031 also shows Feb 29's facts.
        assert [entry.title for entry in feed.entries] == [
            "March 20, 1815: Treaty of Paris", "March 19, 1969: Moon landing </script>",
            "March 15, 44 BC: Ides of March", "February 29, 1960: Leap-day launch"]


def test_a_topic_feed_shows_feb_29_on_feb_28_of_a_common_year(client, almanac):
    with time_machine.travel(dt.datetime(2031, 2, 28, 12, tzinfo=dt.UTC)):
        _, feed = parse(client, "/feed/topics/space/rss/")
    assert feed.entries[0].title == "February 29, 1960: Leap-day launch"
    assert feed.entries[0].published_parsed[:3] == (2031, 2, 28)


def test_an_unknown_topic_feed_is_404(client, db):
    assert client.get("/feed/topics/nothing/rss/").status_code == 404
    assert client.get("/feed/topics/nothing/calendar.ics").status_code == 404


def test_pages_advertise_the_feeds(client, almanac):
    page = client.get("/topics/space/").content.decode()
    assert 'href="/feed/topics/space/rss/"' in page and 'href="/feed/topics/space/atom/"' in page
    assert 'href="/feed/rss/"' in client.get("/march/20/").content.decode()
