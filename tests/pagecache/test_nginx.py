"""The nginx front cache of deploy/nginx/ in front of a live app server: one stored copy
handed to every reader as it is, HEAD and junk addresses that store nothing a GET gets,
personal requests passed through, expiry and freshness after an edit."""

import itertools
import time
import urllib.request
import uuid

import pytest

from tests.servers import get, site_env

from .servers import NGINX, AppServer, Nginx, retitle

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is absent: apt-get install nginx")
SHARED_MAX_AGE = 2
# Each test reads days no other test has read, so that it sees its own misses.
_days = itertools.count(1)


def fresh_day():
    return f"/april/{next(_days)}/"


@pytest.fixture(scope="module")
def front(live_site, tmp_path_factory):
    env = site_env(live_site, PAGECACHE_SHARED_MAX_AGE=SHARED_MAX_AGE)
    with AppServer(env, kind="gunicorn-sync", workers=1) as app:
        app.wait_until_up()
        with Nginx(tmp_path_factory.mktemp("nginx"), app_port=app.port) as nginx:
            nginx.wait_until_up("/healthz")
            yield env, nginx


def cache_status(headers):
    return headers.get("X-Cache-Status")


def head(url):
    request = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_one_stored_copy_is_handed_to_every_reader_as_it_is(front):
    _, nginx = front
    url = nginx.url + "/march/20/"
    first = get(url)
    second = get(url, {"Cookie": "csrftoken=" + "a" * 32})  # a cookie that is not personal
    assert first[0] == second[0] == 200
    assert cache_status(second[1]) == "HIT"
    assert first[2] == second[2]
    assert "The Senate ratifies the treaty" in second[2]
    assert "csrf" not in second[2]
    assert not first[1].get_all("Set-Cookie") and not second[1].get_all("Set-Cookie")
    # Downstream caches (a browser, a CDN) get the app's own rule for the shared copy.
    assert "s-maxage" in second[1]["Cache-Control"]


def test_a_head_on_a_cold_address_leaves_the_get_whole(front):
    _, nginx = front
    # March 22's page shows its neighbour's headline, March 21's.
    for url in (nginx.url + "/api/v1/feed/onthisday/all/03/21", nginx.url + "/march/22/"):
        status, _, body = head(url)
        assert status == 200 and body == b""
        status, headers, page = get(url)
        assert status == 200 and "Kenny Washington" in page, "the GET after a HEAD is whole"
        assert cache_status(get(url)[1]) == "HIT"
        assert get(url)[2] == page


def test_junk_query_strings_are_not_stored_by_the_front_cache(front):
    _, nginx = front
    url = nginx.url + fresh_day()
    page = get(url)[2]
    for n in range(20):
        status, headers, junk = get(f"{url}?x={n}")
        assert status == 200 and junk == page
        assert "private" in headers["Cache-Control"]
    again = get(f"{url}?x=0")
    assert cache_status(again[1]) != "HIT", "nginx did not keep the junk address"
    assert cache_status(get(url)[1]) == "HIT"


def test_the_forms_of_a_stored_page_work_through_nginx(front):
    _, nginx = front
    post = urllib.request.Request(
        nginx.url + "/newsletter/", method="POST",
        data=f"email={uuid.uuid4().hex[:8]}%40example.org&frequency=daily&delivery_hour=7"
             "&time_zone=UTC".encode(),
        headers={"Origin": nginx.url, "Sec-Fetch-Site": "same-origin"})
    with urllib.request.urlopen(post, timeout=10) as response:
        assert response.status == 200
        assert "/newsletter/check-your-inbox/" in response.url
    forged = urllib.request.Request(
        nginx.url + "/newsletter/", method="POST", data=b"email=victim%40example.org",
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    assert refused.value.code == 403


def test_personal_requests_pass_by_the_cache_and_are_not_stored(front):
    _, nginx = front
    url = nginx.url + fresh_day()
    personal = get(url, {"Cookie": "dayfacts_held=anything"})
    assert cache_status(personal[1]) == "BYPASS"
    public = get(url)
    assert cache_status(public[1]) in {"MISS", "EXPIRED"}
    assert get(url, {"Cookie": "sessionid=abc"})[1].get("X-Cache-Status") == "BYPASS"


def test_pages_expire_and_an_edit_shows_within_the_shared_max_age(front):
    env, nginx = front
    url = nginx.url + "/facts/senate-ratifies/"
    get(url)
    assert cache_status(get(url)[1]) == "HIT"
    new_title = f"Edited {uuid.uuid4().hex[:8]}"
    retitle(env, "senate-ratifies", new_title)
    try:
        deadline = time.monotonic() + SHARED_MAX_AGE + 3
        while time.monotonic() < deadline:
            status, headers, page = get(url)
            if new_title in page:
                break
            time.sleep(0.2)
        assert new_title in page, "the edit did not reach the front cache in time"
        assert cache_status(headers) in {"EXPIRED", "MISS"}
        assert cache_status(get(url)[1]) == "HIT"
    finally:
        retitle(env, "senate-ratifies", "The Senate ratifies the treaty")


def test_an_unchanged_page_is_revalidated_cheaply(front):
    _, nginx = front
    url = nginx.url + "/march/21/"
    get(url)
    time.sleep(SHARED_MAX_AGE + 1.5)  # nginx counts validity in whole seconds
    status, headers, page = get(url)
    assert status == 200
    assert cache_status(headers) in {"REVALIDATED", "EXPIRED"}
    assert "The Rams sign Kenny Washington" in page


def test_feeds_keep_the_apps_cache_control_through_nginx(front):
    _, nginx = front
    status, headers, _ = get(nginx.url + "/feed/rss/")
    if status == 404:
        pytest.skip("no feed routed")
    assert status == 200
    assert "s-maxage" in headers["Cache-Control"]
    assert headers.get("Set-Cookie") is None
