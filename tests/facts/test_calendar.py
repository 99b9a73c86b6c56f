"""The editors' calendar in the admin: each day's state, the round anniversaries ahead of
days without a featured article, and who may see it."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.contrib.auth.models import Group, User

from dayfacts.facts.models import Status

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=5)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def year(make_fact):
    """One day in each state, with round anniversaries on some of them."""
    return {
        # Published featured article: its 75th anniversary is not offered.
        "published": make_fact(month=3, day=20, year=1951, title="Featured and shown",
                               featured=True, body="An article."),
        # Scheduled featured article, beside an entry with a 50th anniversary.
        "scheduled": make_fact(month=4, day=1, year=1990, title="Featured, coming",
                               featured=True, status=Status.SCHEDULED, publish_at=LATER),
        "scheduled_day_entry": make_fact(month=4, day=1, year=1976, title="Fifty years on"),
        # Entries only: a featured draft does not count.
        "entry": make_fact(month=5, day=5, year=1926, title="A hundred years on"),
        "featured_draft": make_fact(month=5, day=5, year=1990, title="Featured draft",
                                    featured=True, status=Status.DRAFT),
        # Nothing readers see.
        "draft": make_fact(month=6, day=6, year=1944, title="Only a draft",
                           status=Status.DRAFT),
        "not_round": make_fact(month=3, day=25, year=2000, title="Twenty-six years on"),
        "round": make_fact(month=3, day=25, year=2001, title="Twenty-five years on",
                           notability=5),
        "too_far": make_fact(month=7, day=1, year=1926, title="Beyond sixty days"),
        "past": make_fact(month=3, day=9, year=1926, title="Yesterday's hundredth"),
    }


def login(client, *groups, staff=True, superuser=False):
    user = User.objects.create_user(f"user-{User.objects.count() + 1}",
                                    password="not-used", is_staff=staff,
                                    is_superuser=superuser)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    client.force_login(user)
    return user


def states(page):
    """{(month, day): state} of the calendar's grid."""
    return {(int(m), int(d)): state for m, d, state in
            re.findall(r'<li class="state-\w+" id="day-(\d+)-(\d+)" data-state="(\w+)">', page)}


def anniversaries(page):
    """The anniversaries beside the grid, as their text."""
    block = page.split('id="coming-anniversaries"')[1].split("</ul>")[0]
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", item))).strip()
            for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_each_day_shows_its_state(client, year):
    login(client, "editors")
    page = client.get("/admin/calendar/").content.decode()
    found = states(page)
    assert len(found) == 366 and (2, 29) in found
    assert found[3, 20] == "published"
    assert found[4, 1] == "scheduled"
    assert found[5, 5] == "entries"
    assert found[6, 6] == "empty"
    assert found[12, 31] == "empty"
    legend = re.sub(r"<[^>]+>", "", page.split('class="calendar-legend"')[1].split("</ul>")[0])
    assert "Featured article published: 1 day" in legend
    assert "Featured article scheduled: 1 day" in legend
    # March 9, March 25, May 5 and July 1 have entries only.
    assert "Entries only: 4 days" in legend
    assert "Nothing yet: 360 days" in legend


def test_once_its_time_comes_a_scheduled_article_counts_as_published(client, year):
    login(client, "editors")
    with time_machine.travel(LATER + dt.timedelta(minutes=1), tick=False):
        page = client.get("/admin/calendar/").content.decode()
    assert states(page)[4, 1] == "published"


def test_a_day_opens_its_facts_or_a_new_featured_article(client, year):
    login(client, "editors")
    page = client.get("/admin/calendar/").content.decode()
    cell = re.search(r'id="day-5-5".*?</li>', page, re.S)[0]
    facts_url = unescape(re.search(r'class="calendar-day" href="([^"]+)"', cell)[1])
    add_url = unescape(re.search(r'class="calendar-add" href="([^"]+)"', cell)[1])

    listed = client.get(facts_url)
    assert listed.status_code == 200
    text = listed.content.decode()
    assert "A hundred years on" in text and "Featured draft" in text
    assert "Featured and shown" not in text and "Only a draft" not in text

    form = client.get(add_url)
    assert form.status_code == 200
    html = form.content.decode()
    assert re.search(r'<option value="5" selected>May</option>', html)
    assert re.search(r'<input[^>]*name="day"[^>]*value="5"', html)
    assert re.search(r'<input[^>]*name="featured"[^>]*checked', html)

    # A day that has its featured article offers no second one.
    published = re.search(r'id="day-3-20".*?</li>', page, re.S)[0]
    assert "calendar-add" not in published and "calendar-day" in published


def test_the_round_anniversaries_ahead_of_days_without_a_featured_article(client, year):
    login(client, "editors")
    listed = anniversaries(client.get("/admin/calendar/").content.decode())
    assert listed == [
        "March 25, the 25th anniversary: Twenty-five years on (2001)",
        "May 5, the 100th anniversary: A hundred years on (1926)",
    ]


def test_anniversaries_ahead_run_into_the_next_year(client, make_fact):
    make_fact(month=12, day=20, year=1926, title="December's hundredth")
    make_fact(month=1, day=5, year=1927, title="January's hundredth")
    make_fact(month=1, day=5, year=1926, title="A hundred and one years on")
    with time_machine.travel(dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC), tick=False):
        login(client, "editors")
        page = client.get("/admin/calendar/").content.decode()
    assert anniversaries(page) == [
        "December 20, the 100th anniversary: December's hundredth (1926)",
        "January 5, the 100th anniversary: January's hundredth (1927)",
    ]
    assert '<time datetime="2027-01-05">' in page


def test_the_calendar_takes_the_same_few_queries_however_many_facts(
        client, year, make_fact, django_assert_max_num_queries):
    login(client, "editors")
    # The session, the user and their permissions (3), the whole year's states in one
    # statement, and the anniversaries: one question for each year the 60 days touch.
    with django_assert_max_num_queries(7):
        client.get("/admin/calendar/")
    for n in range(60):
        make_fact(month=n % 12 + 1, day=n % 28 + 1, year=1926 - n % 3,
                  featured=n % 5 == 0, title=f"Crowd {n}")
    with django_assert_max_num_queries(7):
        assert client.get("/admin/calendar/").status_code == 200


def test_only_staff_who_may_change_facts_see_it(client, year):
    anonymous = client.get("/admin/calendar/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/admin/login/?next=/admin/calendar/"

    login(client, "editors", staff=False)
    assert client.get("/admin/calendar/").status_code == 302

    login(client, "moderators")
    assert client.get("/admin/calendar/").status_code == 403
    assert "/admin/calendar/" not in client.get("/admin/").content.decode()

    login(client, "editors")
    assert client.get("/admin/calendar/").status_code == 200
    assert 'href="/admin/calendar/"' in client.get("/admin/").content.decode()

    login(client, superuser=True)
    assert client.get("/admin/calendar/").status_code == 200


def test_no_language_filter_while_facts_have_no_language(client, year):
    login(client, "editors")
    page = client.get("/admin/calendar/").content.decode()
    assert 'name="language"' not in page
    # A language the facts are not written in is named, not shown as an empty year.
    missing = client.get("/admin/calendar/?language=fr")
    assert missing.status_code == 404
