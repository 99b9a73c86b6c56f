"""Many processes, one site: two app servers and two workers on one PostgreSQL and one Redis.

Real gunicorn servers (`dayfacts serve`) and real workers (`dayfacts worker`) share the
PostgreSQL test database, a Redis database of this test's own and an SMTP server started
here. Comments posted through either server show on both at once, whatever either had
cached; an edition sent by both workers reaches every subscriber exactly once.
"""

import datetime as dt
import json
import re
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from redis import Redis
from redis.exceptions import RedisError

from tests.servers import DAYFACTS, site_env

from .servers import Server

# Redis database 13 is this test's: the newsletter's tests use 12, development uses 0.
REDIS_URL = "redis://127.0.0.1:6379/13"
SUBSCRIBERS = 40
SECRET_KEY = "two-servers-share-this-secret-" + "x" * 30


@pytest.fixture
def redis_db():
    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisError as error:
        pytest.skip(f"the two-server test needs Redis at {REDIS_URL}: {error}")
    redis.flushdb()
    yield redis
    redis.flushdb()


@pytest.fixture
def smtp(smtp_server):
    """The SMTP server, a little slow to take each message, so that the workers overlap."""
    smtp_server.delay = 0.02
    return smtp_server


@pytest.fixture
def site(tmp_path, redis_db, smtp):
    """The environment every process of the site shares."""
    if connection.vendor != "postgresql":
        pytest.skip("the two-server test needs PostgreSQL: run the suite with "
                    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (CI does)")
    s = connection.settings_dict
    return site_env(
        tmp_path,
        DATABASE_URL=f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
                     f"{s['NAME']}",
        REDIS_URL=REDIS_URL, TASKS_USE_REDIS="1",
        CACHE_KEY_PREFIX=f"two-servers-{uuid.uuid4().hex[:8]}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        SECRET_KEY=SECRET_KEY, SITE_URL="https://dayfacts.example",
        COMMENTS_FLOOD_SECONDS="0", COMMENTS_RATE_LIMIT="1000/h", COMMENTS_MIN_FILL_SECONDS="0",
        NEWSLETTER_BATCH_SIZE="4", NEWSLETTER_SEND_TASKS="4",
    )


def seed():
    """A published fact for today with one earlier approved comment, and the subscribers."""
    from dayfacts.comments.models import Comment
    from dayfacts.days import MonthDay
    from dayfacts.facts.models import Fact
    from dayfacts.newsletter.models import Subscriber

    today = MonthDay.today()
    fact = Fact.objects.create(
        month=today.month, day=today.day, year=1900, kind="event", title="Shared by servers",
        slug="shared-by-servers", summary="Seen the same from every app server.",
        featured=True, status="published", publish_at=timezone.now() - dt.timedelta(days=1))
    # A commenter with an approved comment is published at once (docs/comments.md).
    Comment.objects.create(fact=fact, name="Regular", email="regular@example.org",
                           text="First!", status="approved")
    Subscriber.objects.bulk_create([
        Subscriber(email=f"reader{n}@example.org", delivery_hour=0, time_zone="UTC",
                   status="active") for n in range(SUBSCRIBERS)])
    return fact


def same_page(body):
    """The page less what differs per rendering: the form's signed time."""
    return re.sub(r'name="issued" value="[^"]*"', "", body)


def approve(site, tmp_path, text):
    """Approve the comment with `text` as a moderator does, from a third process with the
    site's settings, so that the model's own signals reach the servers' shared cache."""
    code = ("from dayfacts.comments.models import Comment, CommentStatus; "
            f"c = Comment.objects.get(text={text!r}); c.status = CommentStatus.APPROVED; c.save()")
    done = subprocess.run([*DAYFACTS, "shell", "-c", code], env=site, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def post_json(url, data):
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post_form(url, fields, cookie):
    """POST a form as a browser would, without following the redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(fields).encode(), method="POST",
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                 "Sec-Fetch-Site": "same-origin"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=20) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_two_servers_and_two_workers_make_one_site(site, smtp, tmp_path):
    fact = seed()
    page = fact.get_absolute_url()
    servers = [Server(site, workers=2, log_dir=tmp_path) for _ in range(2)]
    workers = [subprocess.Popen([*DAYFACTS, "worker"], env=site, cwd=tmp_path,
                                stdout=(tmp_path / f"worker{n}.out").open("w"),
                                stderr=subprocess.STDOUT) for n in range(2)]
    a, b = servers
    try:
        for server in servers:
            server.wait_until_up(timeout=60)
            assert server.get("/readyz")[0] == 200

        # Both servers render the same page, and each now has it in the shared cache.
        status_a, _, body_a = a.get(page)
        status_b, _, body_b = b.get(page)
        assert status_a == status_b == 200
        assert "First!" in body_a
        assert same_page(body_a) == same_page(body_b)

        # A comment through B's API, once approved, shows on A at once, though A served the
        # page before.
        status, answer = post_json(f"{b.url}/api/v1/facts/{fact.pk}/comments", {
            "name": "Regular", "email": "regular@example.org", "consent": True,
            "text": "Posted through server B."})
        assert status == 202, answer
        assert "Posted through server B." not in a.get(page)[2], "held for moderation"
        approve(site, tmp_path, "Posted through server B.")
        assert "Posted through server B." in a.get(page)[2]

        # A comment through A's form, with the signed time B gave: one secret key.
        status, headers, form_page = b.get(page)
        issued = re.search(r'name="issued" value="([^"]*)"', form_page)
        cookie = ""
        fields = {"name": "Regular",
                  "email": "regular@example.org", "text": "Posted through server A.",
                  "consent": "on", "issued": issued[1] if issued else ""}
        status, headers = post_form(f"{a.url}/comments/post/{fact.slug}/", fields, cookie)
        assert status == 302, headers
        approve(site, tmp_path, "Posted through server A.")
        on_b = b.get(page)[2]
        assert "Posted through server A." in on_b and "Posted through server B." in on_b
        assert same_page(a.get(page)[2]) == same_page(on_b)

        # An edition through both workers: every subscriber gets exactly one email.
        tick = subprocess.run([*DAYFACTS, "newsletter", "tick"], env=site, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert tick.returncode == 0, tick.stderr
        wait_for(lambda: len(smtp.arrivals) >= SUBSCRIBERS, 90,
                 f"the edition to be sent; tick said {tick.stdout!r}, worker 0 logged:\n"
                 + (tmp_path / "worker0.out").read_text()[-3000:])
        time.sleep(1)  # anything sent twice would arrive by now
        received = Counter(rcpt for arrival in smtp.arrivals for rcpt in arrival.rcpt_tos)
        assert received == {f"reader{n}@example.org": 1 for n in range(SUBSCRIBERS)}

        # Both servers' metrics read the same deliveries and queue from the shared services
        # (a worker records a message as sent just after the SMTP server accepts it).
        def settled():
            return all(
                f'dayfacts_newsletter_deliveries{{status="sent"}} {SUBSCRIBERS}.0' in metrics
                and 'dayfacts_task_queue_depth{queue="default"} 0.0' in metrics
                for metrics in (server.get("/metrics")[2] for server in servers))

        wait_for(settled, 60, "both servers' metrics to show every delivery sent")
    finally:
        for worker in workers:
            worker.terminate()
        for server in servers:
            server.stop()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    # Both workers took part in sending the edition.
    for n in range(2):
        log = (tmp_path / f"worker{n}.out").read_text()
        assert "Successfully completed dayfacts.newsletter.tasks.send_deliveries" in log, log
