import datetime as dt

import pytest

from dayfacts.facts.models import Fact, Status


@pytest.fixture
def make_fact(db):
    """Create a published fact; keyword arguments override the defaults."""
    counter = iter(range(1, 10**6))

    def make(**fields):
        n = next(counter)
        values = {
            "month": 3, "day": 20, "year": 1900 + n, "kind": "event",
            "title": f"Entry number {n}", "status": Status.PUBLISHED,
            "publish_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        }
        values.update(fields)
        return Fact.objects.create(**values)

    return make
