"""The editors' year: where each calendar day stands, and the round anniversaries ahead.

A day's state is what its readers get from the editors: a featured article already shown,
one scheduled to show, only entries, or nothing at all. Every count asks the facts'
querysets (published(), upcoming(), featured()), in one statement for the whole year.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Value

from dayfacts.days import MonthDay

from . import anniversaries
from .models import Fact

# How many days ahead the calendar looks for round anniversaries.
AHEAD = 60


class State(models.TextChoices):
    PUBLISHED = "published", "Featured article published"
    SCHEDULED = "scheduled", "Featured article scheduled"
    ENTRIES = "entries", "Entries only"
    EMPTY = "empty", "Nothing yet"


@dataclass(frozen=True)
class DayPlan:
    day: MonthDay
    state: State
    entries: int  # entries readers see on the day, its featured one included
    scheduled: int  # featured articles waiting for their publication time

    @property
    def has_featured(self):
        """Whether the day has a featured article, shown or on its way."""
        return self.state in (State.PUBLISHED, State.SCHEDULED)


def languages():
    """The languages facts are written in, or [] while facts do not record one."""
    try:
        Fact._meta.get_field("language")
    except FieldDoesNotExist:
        return []
    return sorted(Fact.objects.order_by().values_list("language", flat=True).distinct())


def year_plan(facts, now):
    """{MonthDay: DayPlan} for all 366 days, from the facts of the queryset `facts`."""
    parts = {
        "shown": facts.published(now),
        "featured": facts.published(now).featured(),
        "scheduled": facts.upcoming(now).featured(),
    }
    counted = [
        part.order_by().values("month", "day")
        .annotate(what=Value(what), n=Count("pk")).values_list("month", "day", "what", "n")
        for what, part in parts.items()
    ]
    counts = defaultdict(dict)
    for month, day, what, n in counted[0].union(*counted[1:], all=True):
        counts[month, day][what] = n
    plan = {}
    for day in MonthDay.all():
        found = counts.get((day.month, day.day), {})
        if found.get("featured"):
            state = State.PUBLISHED
        elif found.get("scheduled"):
            state = State.SCHEDULED
        elif found.get("shown"):
            state = State.ENTRIES
        else:
            state = State.EMPTY
        plan[day] = DayPlan(day, state, found.get("shown", 0), found.get("scheduled", 0))
    return plan


def coming_anniversaries(facts, today, on_days, *, ahead=AHEAD, limit=50):
    """[(date, fact)]: the round anniversaries of the `ahead` days from `today` on that fall
    on one of the calendar days `on_days`, soonest first; the most notable `limit`, from
    the facts of the queryset `facts`."""
    by_year = defaultdict(list)
    for n in range(ahead):
        date = today + dt.timedelta(days=n)
        if MonthDay.from_date(date) in on_days:
            by_year[date.year].append(MonthDay.from_date(date))
    found = []
    # Round years depend on the year alone: one question for each year the days fall in.
    for year, days in by_year.items():
        for fact in anniversaries.on(days, dt.date(year, 1, 1), limit=limit, facts=facts):
            found.append((fact.monthday.in_year(year), fact))
    found.sort(key=lambda pair: (pair[0], -pair[1].years_ago(pair[0]), pair[1].pk))
    return found[:limit]
