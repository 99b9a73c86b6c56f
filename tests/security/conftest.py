import pytest
from django.utils import timezone

from dayfacts.facts.models import Fact, Kind, Status, Topic


@pytest.fixture
def almanac(db):
    """A few published facts over the year's edges (Jan 1, Feb 29, Dec 31), one with a topic."""
    topic = Topic.objects.create(name="Science", slug="science", description="Discoveries.")
    facts = []
    for month, day, year, kind, title in [
        (1, 1, 1801, Kind.EVENT, "Ceres is sighted"),
        (2, 29, 1504, Kind.EVENT, "An eclipse is foretold"),
        (3, 20, -44, Kind.DEATH, "A consul dies"),
        (12, 31, 1879, Kind.BIRTH, "A lamp is shown"),
        (7, 4, None, Kind.HOLIDAY, "A day of parades"),
    ]:
        fact = Fact.objects.create(
            month=month, day=day, year=year, kind=kind, title=title,
            slug=title.lower().replace(" ", "-"), summary=f"{title}.",
            body=f"**{title}**, told at more length.", status=Status.PUBLISHED,
            publish_at=timezone.now() - timezone.timedelta(days=1), featured=True,
            source_name="dayfacts", licence="CC0-1.0",
        )
        fact.topics.add(topic)
        facts.append(fact)
    return facts
