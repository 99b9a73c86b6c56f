import datetime as dt

import pytest
from django.utils import timezone

from dayfacts.facts.models import Fact, Status, Topic


@pytest.fixture
def make_fact(db):
    """Create a published fact; keyword arguments override the defaults."""

    def make(title, **fields):
        topics = fields.pop("topics", [])
        values = {"month": 3, "day": 20, "year": 1952, "kind": "event",
                  "status": Status.PUBLISHED,
                  "publish_at": timezone.now() - dt.timedelta(days=1), **fields}
        fact = Fact.objects.create(title=title, **values)
        for name in topics:
            topic, _ = Topic.objects.get_or_create(name=name, defaults={"slug": name.lower()})
            fact.topics.add(topic)
        return fact

    return make
