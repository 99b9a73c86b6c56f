
import pytest
from django.core.cache import cache

from dayfacts.facts.models import Status, Topic

# The newsletter tests' real SMTP server (aiosmtpd), for the sign-up endpoint's email.
from tests.newsletter.conftest import mail  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_caches():
    """Start each test with no requests counted against the rate limit."""
    cache.clear()


@pytest.fixture
def march_20(make_fact):
    """A day with every kind of entry, an article, a BC year, a draft and a featured fact."""
    science = Topic.objects.create(name="Science", slug="science")
    return {
        "science": science,
        "featured": make_fact(title="Treaty of Paris", year=1815, featured=True,
                              body="The treaty *ended* the war.", topics=[science]),
        "old": make_fact(title="Ides plot", year=-44, body="A plot."),
        "recent": make_fact(title="Subway attack", year=1995),
        "birth": make_fact(title="Ada Lovelace", year=1815, kind="birth",
                           summary="Ada Lovelace, mathematician", topics=[science]),
        "death": make_fact(title="Isaac Newton", year=1727, kind="death", body="Physicist."),
        "holiday": make_fact(title="World Storytelling Day", year=None, kind="holiday",
                             summary="World Storytelling Day"),
        "draft": make_fact(title="Not yet", status=Status.DRAFT),
        "other_day": make_fact(title="Elsewhere", month=3, day=21),
    }
