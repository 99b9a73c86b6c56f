import pytest

from dayfacts.facts.models import Status


@pytest.fixture
def march_20(make_fact):
    """Twelve dated events on March 20, the first the most notable, and entries no game uses:
    a birth, an undated event, a draft and another day's event."""
    events = [make_fact(title=f"Event of {year}", year=year, notability=100 - n)
              for n, year in enumerate([1815, -44, 1952, 1066, 1995, 1789, 1903, 1848, 1969,
                                        1492, 1215, 1917])]
    make_fact(title="A birth", year=1000, kind="birth", notability=500)
    make_fact(title="Undated event", year=None, notability=500)
    make_fact(title="A draft", year=1001, status=Status.DRAFT, notability=500)
    make_fact(title="Another day", year=1002, month=3, day=21, notability=500)
    return events
