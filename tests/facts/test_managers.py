"""What a day page asks of the facts: its headline, its counts and its bounded lists."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind, Status

KINDS = [Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY]
FEB_28, FEB_29, MARCH_1 = MonthDay(2, 28), MonthDay(2, 29), MonthDay(3, 1)


@pytest.fixture
def crowd(make_fact):
    """Sixty facts over three days: ties, undated and BC years, drafts, schedules and facts
    an import is still writing."""
    rng = random.Random(20)
    now = timezone.now()
    statuses = [
        (Status.PUBLISHED, now - dt.timedelta(days=1)),
        (Status.PUBLISHED, now + dt.timedelta(days=1)),  # published, but not yet shown
        (Status.SCHEDULED, now - dt.timedelta(minutes=5)),
        (Status.SCHEDULED, now + dt.timedelta(hours=2)),
        (Status.DRAFT, now - dt.timedelta(days=1)),
        (Status.IMPORTING, now - dt.timedelta(days=1)),
    ]
    facts = []
    for n in range(60):
        day = rng.choice([FEB_28, FEB_29, MARCH_1])
        status, publish_at = rng.choice(statuses)
        facts.append(make_fact(
            month=day.month, day=day.day, kind=rng.choice(KINDS), status=status,
            publish_at=publish_at, notability=rng.choice([0, 0, 1, 5]),
            year=rng.choice([None, -44, 1066, 1066, 1952, 2001]), title=f"Crowd {n}"))
    return facts


def shown(facts, days):
    """The facts a reader may see on these days, worked out by hand."""
    now = timezone.now()
    return [fact for fact in facts if fact.monthday in days and fact.publish_at <= now
            and fact.status in (Status.PUBLISHED, Status.SCHEDULED)]


def most_notable_first(facts):
    return sorted(facts, key=lambda f: (-f.notability, f.year is None, f.year or 0, f.pk))


@pytest.mark.parametrize("days", [[FEB_29], [FEB_28, FEB_29], [MonthDay(7, 4)]])
def test_day_counts_count_each_kind_a_reader_may_see(crowd, days):
    expected = Counter(fact.kind for fact in shown(crowd, days))
    assert Fact.objects.day_counts(days) == dict(expected)


@pytest.mark.parametrize("days", [[FEB_29], [FEB_28, FEB_29], [MARCH_1], [MonthDay(7, 4)]])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_top_of_each_kind_lists_the_most_notable_a_reader_may_see(crowd, days, limit):
    top = Fact.objects.top_of_each_kind(days, KINDS, limit)
    assert list(top) == KINDS
    for kind in KINDS:
        of_kind = [fact for fact in shown(crowd, days) if fact.kind == kind]
        assert top[kind] == most_notable_first(of_kind)[:limit]


def test_top_of_each_kind_leaves_out_the_headline(crowd):
    headline = Fact.objects.headline(FEB_29)
    top = Fact.objects.top_of_each_kind([FEB_29], KINDS, 100, leave_out=headline.pk)
    assert headline not in top[headline.kind]
    others = [fact for fact in shown(crowd, [FEB_29])
              if fact.kind == headline.kind and fact != headline]
    assert top[headline.kind] == most_notable_first(others)


def test_a_day_page_lists_and_counts_in_one_statement_each(crowd, django_assert_num_queries):
    with django_assert_num_queries(1):
        Fact.objects.top_of_each_kind([FEB_28, FEB_29], KINDS, 40)
    with django_assert_num_queries(1):
        Fact.objects.day_counts([FEB_28, FEB_29])


def test_listed_facts_carry_what_a_list_shows(make_fact):
    fact = make_fact(title="Treaty ratified", year=-44, body="An *article*.",
                     summary="Ratified.", source_name="Somewhere", licence="CC0")
    listed = Fact.objects.top_of_each_kind([MonthDay(3, 20)], KINDS, 5)[Kind.EVENT]
    assert listed == [fact]
    (found,) = listed
    assert (found.title, found.year, found.summary, found.body, found.source_name,
            found.licence) == ("Treaty ratified", -44, "Ratified.", "An *article*.",
                               "Somewhere", "CC0")
    assert found.get_absolute_url() == fact.get_absolute_url()
    # An article's HTML is not read for a list entry.
    assert "body_html" in found.get_deferred_fields()


def test_headlines_take_each_days_newest_visible_featured_fact(crowd):
    # Featured year after year, some edited in the same instant: the id breaks the tie.
    same_time = timezone.now() - dt.timedelta(days=3)
    Fact.objects.filter(pk__in=[f.pk for f in crowd[::3]]).update(featured=True)
    Fact.objects.filter(pk__in=[f.pk for f in crowd[::6]]).update(updated=same_time)
    days = [FEB_28, FEB_29, MARCH_1, MonthDay(7, 4)]
    found = Fact.objects.headlines(*days)
    for day in days:
        featured = [Fact.objects.get(pk=fact.pk) for fact in shown(crowd, [day])
                    if fact.pk in {f.pk for f in crowd[::3]}]
        newest = min(featured, key=lambda f: (-f.updated.timestamp(), f.pk), default=None)
        assert found[day] == newest
        assert found[day] is None or found[day].body_html is not None  # a whole fact
    assert found[MonthDay(7, 4)] is None
    assert any(found[day] for day in days)


def test_headlines_without_featured_facts_take_the_most_notable_event_then_anything(
        crowd, make_fact):
    births_only = MonthDay(7, 4)
    make_fact(month=7, day=4, kind=Kind.BIRTH, notability=2, title="Born on the Fourth")
    make_fact(month=7, day=4, kind=Kind.DEATH, notability=7, title="Died on the Fourth")
    days = [FEB_28, FEB_29, MARCH_1, births_only, MonthDay(12, 25)]
    found = Fact.objects.headlines(*days)
    for day in (FEB_28, FEB_29, MARCH_1):
        events = [fact for fact in shown(crowd, [day]) if fact.kind == Kind.EVENT]
        assert found[day] == most_notable_first(events)[0]
    assert found[births_only].title == "Died on the Fourth"
    assert found[MonthDay(12, 25)] is None


def test_a_fact_still_being_imported_shows_nowhere(make_fact):
    make_fact(title="Shown", notability=1)
    make_fact(title="Being imported", featured=True, notability=9, status=Status.IMPORTING)
    day = MonthDay(3, 20)
    assert Fact.objects.headline(day).title == "Shown"
    assert Fact.objects.day_counts([day]) == {Kind.EVENT: 1}
    assert [f.title for f in Fact.objects.top_of_each_kind([day], KINDS, 5)[Kind.EVENT]] \
        == ["Shown"]


def test_a_month_of_headlines_takes_two_statements_with_or_without_features(
        make_fact, django_assert_num_queries):
    march = [MonthDay(3, day) for day in range(1, 32)]
    for day in march:
        make_fact(day=day.day, title=f"An event on March {day.day}")
    make_fact(day=20, featured=True, title="Featured on March 20")
    with django_assert_num_queries(2):
        found = Fact.objects.headlines(*march)
    assert found[MonthDay(3, 20)].title == "Featured on March 20"
    assert found[MonthDay(3, 31)].title == "An event on March 31"
