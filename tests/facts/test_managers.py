"""The day page's hand-written statements say what the querysets they stand for say."""

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind, Status

KINDS = [Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY]
FEB_28, FEB_29, MARCH_1 = MonthDay(2, 28), MonthDay(2, 29), MonthDay(3, 1)


@pytest.fixture
def crowd(make_fact):
    """Sixty facts over three days: ties, undated and BC years, drafts and schedules."""
    rng = random.Random(20)
    now = timezone.now()
    statuses = [
        (Status.PUBLISHED, now - dt.timedelta(days=1)),
        (Status.PUBLISHED, now + dt.timedelta(days=1)),  # published, but not yet shown
        (Status.SCHEDULED, now - dt.timedelta(minutes=5)),
        (Status.SCHEDULED, now + dt.timedelta(hours=2)),
        (Status.DRAFT, now - dt.timedelta(days=1)),
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


def by_queryset(days, kind, limit, leave_out=None):
    facts = Fact.objects.published().on(*days).of_kind(kind)
    if leave_out is not None:
        facts = facts.exclude(pk=leave_out)
    return list(facts.by_notability()[:limit])


@pytest.mark.parametrize("days", [[FEB_29], [FEB_28, FEB_29], [MonthDay(7, 4)]])
def test_day_counts_count_what_published_and_on_select(crowd, days):
    expected = dict(Fact.objects.published().on(*days).order_by().values_list("kind")
                    .annotate(n=Count("*")).values_list("kind", "n"))
    assert Fact.objects.day_counts(days) == expected
    assert sum(expected.values()) == Fact.objects.published().on(*days).count()


@pytest.mark.parametrize("days", [[FEB_29], [FEB_28, FEB_29], [MARCH_1], [MonthDay(7, 4)]])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_top_of_each_kind_is_the_querysets_order_and_bound(crowd, days, limit):
    top = Fact.objects.top_of_each_kind(days, KINDS, limit)
    assert list(top) == KINDS
    for kind in KINDS:
        assert top[kind] == by_queryset(days, kind, limit)
        assert len(top[kind]) <= limit


def test_top_of_each_kind_leaves_out_the_headline(crowd):
    shown = Fact.objects.published().on(FEB_29).events().by_notability().first()
    top = Fact.objects.top_of_each_kind([FEB_29], KINDS, 100, leave_out=shown.pk)
    assert shown not in top[Kind.EVENT]
    assert top[Kind.EVENT] == by_queryset([FEB_29], Kind.EVENT, 100, leave_out=shown.pk)


def test_top_of_each_kind_is_each_kinds_most_notable_and_published(make_fact):
    for n in range(6):
        for kind in ("event", "birth", "death"):
            make_fact(kind=kind, notability=n)
    make_fact(kind="event", notability=9, status=Status.DRAFT)
    top = Fact.objects.top_of_each_kind([MonthDay(3, 20)], KINDS, 3)
    for kind in ("event", "birth", "death"):
        assert [f.notability for f in top[kind]] == [5, 4, 3]
        assert {f.kind for f in top[kind]} == {kind}
    assert top["holiday"] == []


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
        newest = (Fact.objects.published().on(day).featured()
                  .order_by("-updated", "pk").first())
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
    for day in days:
        on_day = Fact.objects.published().on(day).by_notability()
        assert found[day] == (on_day.events().first() or on_day.first())
    assert found[births_only].title == "Died on the Fourth"
    assert found[MonthDay(12, 25)] is None
    assert all(found[day].kind == Kind.EVENT for day in (FEB_28, FEB_29, MARCH_1))


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
