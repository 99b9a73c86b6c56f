"""The nginx front cache of deploy/nginx/ in front of a live app server: hits, each reader's
own CSRF token, personal requests passed through, expiry and freshness after an edit."""

import re
import time
import urllib.request
import uuid

import pytest

from tests.servers import get, site_env

from .servers import NGINX, AppServer, Nginx, retitle

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is absent: apt-get install nginx")
SHARED_MAX_AGE = 2


@pytest.fixture(scope="module")
def front(live_site, tmp_path_factory):
    env = site_env(live_site, PAGECACHE_SHARED_MAX_AGE=SHARED_MAX_AGE)
    with AppServer(env, kind="gunicorn-sync", workers=1) as app:
        app.wait_until_up()
        with Nginx(tmp_path_factory.mktemp("nginx"), app_port=app.port) as nginx:
            nginx.wait_until_up("/healthz")
            yield env, nginx


def token(page):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page)


def cache_status(headers):
    return headers.get("X-Cache-Status")


def csrf_cookie(headers):
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("csrftoken="):
            return value.split(";")[0].split("=", 1)[1]
    return None


def test_pages_are_served_from_the_front_cache_with_each_readers_token(front):
    _, nginx = front
    url = nginx.url + f"/march/20/?reader={uuid.uuid4().hex}"
    first = get(url)
    second = get(url)
    assert first[0] == second[0] == 200
    assert cache_status(first[1]) in {"MISS", "EXPIRED"}
    assert cache_status(second[1]) == "HIT"
    assert "The Senate ratifies the treaty" in second[2]
    assert "dayfacts-csrf-token-placeholder" not in first[2] + second[2]
    # A new reader gets a new secret as their cookie and the same value in every form.
    tokens = [token(page) for _, _, page in (first, second)]
    cookies = [csrf_cookie(headers) for _, headers, _ in (first, second)]
    assert all(cookies) and cookies[0] != cookies[1]
    for found, cookie in zip(tokens, cookies, strict=True):
        assert found and set(found) == {cookie}
    # The copy a browser gets is private to it; only nginx shared it.
    assert "private" in second[1]["Cache-Control"]


def test_a_returning_reader_keeps_their_own_token(front):
    _, nginx = front
    secret = uuid.uuid4().hex
    status, headers, page = get(nginx.url + "/march/20/", {"Cookie": f"csrftoken={secret}"})
    assert status == 200
    assert csrf_cookie(headers) is None
    assert set(token(page)) == {secret}


def test_the_token_nginx_fills_in_is_accepted_by_the_app(front):
    _, nginx = front
    status, headers, page = get(nginx.url + "/march/20/")
    secret = csrf_cookie(headers)
    forms = re.findall(r'<form[^>]*method="post"[^>]*action="(/[^"]*)"', page)
    forms += re.findall(r'<form[^>]*action="(/[^"]*)"[^>]*method="post"', page)
    if not forms:
        pytest.skip("the day page has no form that posts")
    data = f"csrfmiddlewaretoken={secret}&email=reader%40example.org".encode()
    post = urllib.request.Request(nginx.url + forms[0], data=data, method="POST", headers={
        "Cookie": f"csrftoken={secret}", "Origin": nginx.url, "Referer": nginx.url + "/",
    })
    try:
        with urllib.request.urlopen(post, timeout=10) as response:
            answered = response.status
    except urllib.error.HTTPError as error:
        answered = error.code
    assert answered != 403, "the app refused the token nginx filled in"


def test_personal_requests_pass_by_the_cache_and_are_not_stored(front):
    _, nginx = front
    url = nginx.url + f"/march/21/?p={uuid.uuid4().hex}"
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
