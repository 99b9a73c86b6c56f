"""A day page's statements, written once per shape and run again with each day's values."""

import datetime as dt

from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts import statements
from dayfacts.facts.models import Fact, Kind

KINDS = [Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY]


def test_each_day_gets_its_own_answers_from_one_written_statement(make_fact):
    march, july = MonthDay(3, 20), MonthDay(7, 4)
    treaty = make_fact(title="Treaty ratified", notability=5)
    born = make_fact(title="A poet", kind=Kind.BIRTH)
    independence = make_fact(month=7, day=4, title="Independence declared", notability=3)
    left_out = make_fact(month=7, day=4, title="Left out of the list")
    statements._written.clear()
    assert Fact.objects.top_of_each_kind([march], KINDS, 5) == {
        Kind.EVENT: [treaty], Kind.BIRTH: [born], Kind.DEATH: [], Kind.HOLIDAY: []}
    written = len(statements._written)
    found = Fact.objects.top_of_each_kind([july], KINDS, 5, leave_out=left_out.pk)
    assert found[Kind.EVENT] == [independence]
    assert len(statements._written) == written + 1  # a fact left out is another shape
    assert Fact.objects.top_of_each_kind([july], KINDS, 5)[Kind.EVENT] == [
        independence, left_out]
    assert len(statements._written) == written + 1
    assert Fact.objects.day_counts([march]) == {Kind.EVENT: 1, Kind.BIRTH: 1}
    assert Fact.objects.day_counts([july]) == {Kind.EVENT: 2}
    assert Fact.objects.headlines(march, july) == {march: treaty, july: independence}


def test_the_moment_asked_about_is_bound_each_time(make_fact):
    """A statement written before a scheduled fact's time still shows it once the time comes."""
    now = timezone.now()
    soon = make_fact(title="Shown in an hour", publish_at=now + dt.timedelta(hours=1))
    march = MonthDay(3, 20)
    assert Fact.objects.headlines(march, now=now) == {march: None}
    later = now + dt.timedelta(hours=2)
    assert Fact.objects.headlines(march, now=later) == {march: soon}
    assert Fact.objects.day_counts([march], now=later) == {Kind.EVENT: 1}
    assert Fact.objects.top_of_each_kind([march], KINDS, 5, now=now)[Kind.EVENT] == []


def test_listed_fields_come_back_under_their_own_names(make_fact):
    fact = make_fact(title="Treaty ratified", year=-44, summary="Ratified.", licence="CC0")
    for _ in range(2):  # the written statement, then the one run again
        (listed,) = Fact.objects.top_of_each_kind([MonthDay(3, 20)], KINDS, 5)[Kind.EVENT]
        assert (listed.pk, listed.title, listed.year, listed.summary, listed.licence) == (
            fact.pk, "Treaty ratified", -44, "Ratified.", "CC0")
