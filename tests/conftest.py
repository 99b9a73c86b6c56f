import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from dayfacts.facts.models import Fact, Status

# The SMTP server fixture (smtp_server), for every test that sends mail.
pytest_plugins = ["tests.mail"]

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("DAYFACTS_SHARED_DATA", REPO.parent / "shared" / "data"))

# Property tests: a bounded number of examples keeps the suite fast; HYPOTHESIS_PROFILE=thorough
# tries many more (docs/security.md). No deadline: a shared CI machine's timing is noise.
hypothesis_settings.register_profile(
    "ci", max_examples=50, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=1000
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def shared_data():
    """The real data set beside the repository; tests that need it skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _own_page_cache_generation(tmp_path_factory):
    """Keep this test run's cache generation apart from other runs on the machine."""
    from django.conf import settings

    settings.PAGECACHE_GENERATION_FILE = tmp_path_factory.mktemp("pagecache") / "generation"


@pytest.fixture(autouse=True)
def _no_cached_pages_from_earlier_tests(_own_page_cache_generation):
    """Start each test with an empty page cache: rolled-back test data sends no signals."""
    from dayfacts.pagecache import generation

    generation.bump()


@pytest.fixture
def make_fact(db):
    """Create a published fact (March 20 unless told); keyword arguments override."""
    counter = iter(range(1, 10**6))

    def make(**fields):
        n = next(counter)
        values = {
            "month": 3, "day": 20, "year": 1900 + n, "kind": "event",
            "title": f"Entry number {n}", "summary": f"Something happened, number {n}.",
            "status": Status.PUBLISHED, "publish_at": dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        }
        topics = fields.pop("topics", [])
        values.update(fields)
        fact = Fact.objects.create(**values)
        fact.topics.set(topics)
        return fact

    return make
