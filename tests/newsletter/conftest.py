import datetime as dt
import os
import re
import subprocess
import sys
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dayfacts.facts.models import Fact, Kind, Status
from dayfacts.newsletter.models import Subscriber, SubscriberStatus


@pytest.fixture
def mail(settings, smtp_server):
    """Send through the test's SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://dayfacts.example"
    settings.DEFAULT_FROM_EMAIL = "dayfacts <news@dayfacts.example>"
    return smtp_server


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def run_worker():
    """Run every queued task with the real database task worker, then return."""
    call_command("worker", "--batch", verbosity=0)


def make_fact(month, day, title, *, kind=Kind.EVENT, year=1900, featured=False, notability=0,
              body="", summary=""):
    return Fact.objects.create(
        month=month, day=day, year=year, kind=kind, title=title, featured=featured,
        notability=notability, body=body, summary=summary or f"{title}, in one sentence.",
        status=Status.PUBLISHED, publish_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        source_name="Test almanac", licence="CC BY-SA 4.0",
    )


@pytest.fixture
def march_20():
    """A day with a featured fact, more events, a birth, a death and a holiday."""
    headline = make_fact(3, 20, "The first day of spring is measured", featured=True,
                         body="A long first paragraph about the equinox.\n\n"
                              "A second paragraph, with more detail.")
    others = [make_fact(3, 20, f"Event number {n}", notability=n) for n in range(1, 8)]
    others.append(make_fact(3, 20, "A poet is born", kind=Kind.BIRTH, year=1828))
    others.append(make_fact(3, 20, "A physicist dies", kind=Kind.DEATH, year=1727))
    others.append(make_fact(3, 20, "World Storytelling Day", kind=Kind.HOLIDAY, year=None))
    return headline, others


def subscribe(email_address, *, hour=7, tz="UTC", frequency="daily"):
    return Subscriber.objects.create(
        email=email_address, delivery_hour=hour, time_zone=tz, frequency=frequency,
        status=SubscriberStatus.ACTIVE, confirmed_at=timezone.now(),
    )


LINK = re.compile(r"https?://[^\s\"'<>]+")


def links(text):
    return LINK.findall(text)


def parts(message):
    """The plain-text and HTML bodies of a parsed message, HTML entities resolved."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, unescape(html)


@pytest.fixture
def shared_db(tmp_path):
    """Environment for `dayfacts` processes that share one database with this test."""
    env = {k: v for k, v in os.environ.items() if k != "DAYFACTS_TEST_DB_NAME"}
    env.update(DAYFACTS_VAR_DIR=str(tmp_path), SITE_URL="https://dayfacts.example",
               NEWSLETTER_BATCH_SIZE="10", NEWSLETTER_CLAIM_TIMEOUT="1", LOG_LEVEL="WARNING")
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
                               f"{s['PORT'] or 5432}/{s['NAME']}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        dayfacts(env, "migrate", "--noinput", "-v0")
    return env


def dayfacts(env, *args, **kwargs):
    """Run a `dayfacts` command to the end and return what it printed."""
    result = subprocess.run([sys.executable, "-m", "dayfacts", *args], env=env,
                            capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
