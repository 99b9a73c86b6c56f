"""A real browser (Debian's chromium, driven by Playwright) against the live test server."""

import datetime as dt
import email
import email.policy
import logging
import re
import socket
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind, Status, Topic

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    """Skip this folder's tests, saying why, where the browser is not installed."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"needs chromium at {CHROMIUM}"))
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own database
    # calls are synchronous and safe, so Django's guard against async use is lifted here.
    unsafe = pytest.MonkeyPatch()
    unsafe.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
    unsafe.undo()


@pytest.fixture(autouse=True)
def _no_rate_limits_from_earlier_tests():
    cache.clear()


@pytest.fixture
def axe():
    """axe-core's source, from npm (`make test` installs it)."""
    if not AXE.exists():
        pytest.skip(f"needs axe-core at {AXE} (npm install)")
    return AXE.read_text()


def published(**fields):
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - dt.timedelta(days=1))
    fields.setdefault("summary", f"{fields['title']}, in one sentence.")
    fields.setdefault("source_name", "Test almanac")
    fields.setdefault("licence", "CC BY-SA 4.0")
    return Fact.objects.create(**fields)


@pytest.fixture
def almanac(transactional_db):
    """Today, its neighbours and a few kinds of entry, with a topic; returns today's lead."""
    today = MonthDay.today()
    science = Topic.objects.create(name="Science", slug="science", description="Discoveries.")
    lead = None
    for offset, day in enumerate([today.previous, today, today.next]):
        fact = published(month=day.month, day=day.day, year=1900 + offset, featured=True,
                         title=f"Lead of {day.name}", slug=f"lead-{day.month}-{day.day}",
                         body=f"An article about {day.name}.\n\nIt has two paragraphs.")
        fact.topics.add(science)
        if day == today:
            lead = fact
    for n, kind in enumerate([Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY]):
        published(month=today.month, day=today.day, kind=kind, notability=n,
                  year=None if kind == Kind.HOLIDAY else 1800 + n,
                  title=f"A {kind} on {today.name}", slug=f"{kind}-{n}")
    published(month=today.month, day=today.day, year=-44, title="A BC event", slug="bc-event")
    return lead


@pytest.fixture
def site(live_server, almanac, settings):
    """The live server's address, with every link in mail pointing at it."""
    settings.SITE_URL = live_server.url
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    return live_server.url


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message that arrives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def links(self, to, containing):
        """The links in the last message to `to` whose address contains `containing`."""
        for message in reversed(self.messages):
            if to in message["To"]:
                text = message.get_body(("plain",)).get_content()
                return [link for link in re.findall(r"https?://\S+", text) if containing in link]
        return []


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port that the site sends through."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()
