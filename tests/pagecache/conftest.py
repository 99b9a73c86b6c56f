import datetime as dt

import pytest

from dayfacts.facts.models import Topic

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def almanac(make_fact):
    """A featured fact on March 20 with a topic, and one neighbour on each side."""
    topic = Topic.objects.create(name="Treaties", slug="treaties")
    featured = make_fact(title="The Senate ratifies the treaty", year=1952, featured=True,
                         body="The vote was *decisive*.", slug="senate-ratifies")
    featured.topics.add(topic)
    make_fact(month=3, day=19, title="The Senate rejects Versailles", year=1920, featured=True)
    make_fact(month=3, day=21, title="The Rams sign Kenny Washington", year=1946, featured=True)
    return {"fact": featured, "topic": topic}


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """A var directory with a migrated SQLite database holding two facts, for real servers."""
    from tests.servers import site_env

    from .servers import SEED, dayfacts

    var_dir = tmp_path_factory.mktemp("live-site")
    env = site_env(var_dir)
    dayfacts(["migrate", "--noinput", "-v0"], env)
    dayfacts(["shell", "-c", SEED], env)
    return var_dir
