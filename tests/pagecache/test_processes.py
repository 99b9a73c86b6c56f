"""Two app processes share one cache generation: an edit leaves neither with a stale page."""

import uuid

import pytest
import redis

from tests.servers import get, site_env

from .servers import AppServer, retitle

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def check_two_processes_stay_fresh(env, slug_title, other_env=None):
    slug, title = slug_title
    with AppServer(env, kind="gunicorn-sync", workers=1) as one, \
            AppServer(other_env or env, kind="serve", workers=1) as two:
        one.wait_until_up()
        two.wait_until_up()
        for server in (one, two):
            status, _, page = get(server.url + "/march/20/")
            assert status == 200 and title in page
        new_title = f"Edited {uuid.uuid4().hex[:8]}"
        retitle(env, slug, new_title)
        for server in (one, two):
            for url in ("/march/20/", f"/facts/{slug}/", "/years/1952/"):
                page = get(server.url + url)[2]
                assert new_title in page, (server.url, url)
                assert title not in page
        retitle(env, slug, title)


@pytest.mark.skipif(not redis_available(), reason="Redis is not running at 127.0.0.1:6379")
def test_two_processes_sharing_redis_show_an_edit_at_once(live_site):
    env = site_env(live_site, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    check_two_processes_stay_fresh(env, ("senate-ratifies", "The Senate ratifies the treaty"))


def test_two_processes_with_local_memory_caches_show_an_edit_at_once(live_site):
    # One of them is `dayfacts serve --server granian`, the server the benchmarks chose.
    env = site_env(live_site)
    check_two_processes_stay_fresh(env, ("senate-ratifies", "The Senate ratifies the treaty"),
                                   other_env=site_env(live_site, DAYFACTS_SERVER="granian"))
