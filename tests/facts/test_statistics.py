from django.db import connection

from dayfacts.days import MonthDay
from dayfacts.facts import statistics
from dayfacts.facts.models import Fact


def test_after_a_refresh_the_headline_is_found_through_the_day(make_fact, db):
    # Enough facts that the planner's choice matters, almost all on other days.
    Fact.objects.bulk_create([
        Fact(month=1 + n % 12, day=1 + n % 28, year=1000 + n, title=f"Filler {n}",
             slug=f"filler-{n}", status="published", publish_at=make_fact().publish_at)
        for n in range(3000)
    ])
    statistics.refresh()
    day_query = Fact.objects.published().on(MonthDay(3, 20)).featured()
    explained = day_query.explain()
    assert "fact_status" not in explained
    if connection.vendor == "sqlite":
        assert "fact_day_featured" in explained or "fact_day_kind" in explained
