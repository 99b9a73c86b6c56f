"""One signal, every cache: an edit or an import made by a third process shows on every page
and API answer of two running servers, each with its own local-memory cache."""

import json
import time
import uuid

import pytest

from tests.servers import get, site_env

from .servers import AppServer, dayfacts

SLUG = "senate-ratifies"
TITLE = "The Senate ratifies the treaty"

SEED = f"""
import datetime as dt
from dayfacts.facts.models import Fact, Status, Topic
epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
treaties = Topic.objects.create(name="Treaties", slug="treaties")
fact = Fact.objects.create(month=3, day=20, year=1952, title={TITLE!r}, slug={SLUG!r},
                           featured=True, status=Status.PUBLISHED, publish_at=epoch,
                           body="The vote was decisive.")
fact.topics.add(treaties)
Fact.objects.create(month=3, day=21, year=1946, title="The Rams sign Kenny Washington",
                    featured=True, status=Status.PUBLISHED, publish_at=epoch)
"""

# Every page and API answer that shows the fact's title.
SHOWING = [
    "/march/20/", f"/facts/{SLUG}/", "/march/", "/topics/treaties/", "/years/1952/",
    "/api/v1/feed/onthisday/all/03/20", "/api/v1/feed/onthisday/selected/03/20",
    "/api/v1/days/03/20", f"/api/v1/facts/slug/{SLUG}", "/api/v1/topics/treaties",
    "/api/v1/years/1952",
]
WITHIN_SECONDS = 2


@pytest.fixture
def site(tmp_path):
    """A migrated SQLite site of its own, on the default (local-memory) cache."""
    env = site_env(tmp_path)
    dayfacts(["migrate", "--noinput", "-v0"], env)
    dayfacts(["shell", "-c", SEED], env)
    return env


@pytest.fixture
def servers(site):
    """Two servers, each process keeping its own local-memory cache."""
    with AppServer(site, kind="gunicorn-sync", workers=1) as one, \
            AppServer(site, kind="serve", workers=1) as two:
        one.wait_until_up()
        two.wait_until_up()
        yield one, two


def showing(servers, text):
    """{(server, address): whether the answer shows `text`}, each address fetched twice so
    that the second answer is the cached one."""
    found = {}
    for server in servers:
        for address in SHOWING:
            for _ in range(2):
                status, _, body = get(server.url + address)
                assert status == 200, (server.url, address, status)
            found[server.url, address] = text in body
    return found


def shows_only(body, new_title):
    return new_title in body and TITLE not in body


def wait_for(servers, new_title):
    """Poll every address until all show `new_title`; fail naming those that did not."""
    deadline = time.monotonic() + WITHIN_SECONDS
    stale = [(server.url, address) for server in servers for address in SHOWING]
    while stale and time.monotonic() < deadline:
        stale = [(url, address) for url, address in stale
                 if not shows_only(get(url + address)[2], new_title)]
        time.sleep(0.1)
    assert not stale, f"still the old title after {WITHIN_SECONDS} s: {stale}"


def test_an_edit_from_another_process_shows_everywhere(site, servers):
    assert all(showing(servers, TITLE).values())
    new_title = f"Edited {uuid.uuid4().hex[:8]}"
    dayfacts(["shell", "-c", "from dayfacts.facts.models import Fact\n"
              f"fact = Fact.objects.get(slug={SLUG!r})\nfact.title = {new_title!r}\n"
              "fact.save()"], site)
    wait_for(servers, new_title)


def test_an_import_from_another_process_shows_everywhere(site, servers, tmp_path):
    assert all(showing(servers, TITLE).values())
    new_title = f"Imported {uuid.uuid4().hex[:8]}"
    data = tmp_path / "facts.jsonl"
    data.write_text(json.dumps({
        "type": "fact", "slug": SLUG, "month": 3, "day": 20, "year": 1952,
        "title": new_title, "body": "The vote was decisive.", "topics": ["Treaties"],
        "featured": True, "status": "published", "publish_at": "2000-01-01T00:00:00+00:00",
    }) + "\n")
    dayfacts(["import", "jsonl", "--update", str(data)], site)
    wait_for(servers, new_title)
