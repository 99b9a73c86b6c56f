"""The links an email carries to unsubscribe, download and delete: they expire, and say so."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from dayfacts.newsletter.models import Subscriber, SubscriberStatus
from dayfacts.newsletter.scheduling import tick
from dayfacts.newsletter.tokens import UNSUBSCRIBE_SALT, unsubscribe_token

from .conftest import run_worker, subscribe

# Transactional: the worker run inside a test checks its connection as a real one would,
# which a test-wide transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"
OWN_PAGE = {"Sec-Fetch-Site": "same-origin"}


def emailed_link(mail):
    """The unsubscribe path in the one email that arrived."""
    [message] = [arrival.message for arrival in mail.arrivals]
    return message["List-Unsubscribe"][1:-1].removeprefix("https://dayfacts.example")


def later(days):
    return time_machine.travel(timezone.now() + dt.timedelta(days=days), tick=False)


def assert_expired_page(response):
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page
    assert "newest email" in page and "/newsletter/" in page  # where to find a fresh link


def test_an_emails_links_work_for_90_days_then_say_where_fresh_ones_are(mail, march_20):
    subscriber = subscribe("ada@example.org")
    tick(now=dt.datetime(2026, 3, 20, 7, 30, tzinfo=dt.UTC))  # the edition is due
    run_worker()  # and sent now
    path = emailed_link(mail)
    client = Client()

    with later(89):
        assert client.get(path).status_code == 200
        assert client.get(path + "data/").json()["email"] == "ada@example.org"
    with later(91):
        assert_expired_page(client.get(path))
        assert_expired_page(client.get(path + "data/"))
        assert_expired_page(client.post(path, ONE_CLICK, content_type=FORM))
        assert_expired_page(client.post(path + "delete/", headers=OWN_PAGE))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    # A fresh email's link works again at once.
    with later(91):
        fresh = f"/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
        assert client.post(fresh, ONE_CLICK, content_type=FORM).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_a_link_made_before_links_expired_is_answered_as_expired(db):
    subscriber = subscribe("ada@example.org")
    old = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.key)
    client = Client()
    assert_expired_page(client.get(f"/newsletter/unsubscribe/{old}/data/"))
    assert_expired_page(client.post(f"/newsletter/unsubscribe/{old}/", ONE_CLICK,
                                    content_type=FORM))
    assert_expired_page(client.post(f"/newsletter/unsubscribe/{old}/delete/", headers=OWN_PAGE))
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


def test_how_long_links_last_is_a_setting(db, settings):
    settings.NEWSLETTER_LINK_MAX_AGE = 3600
    subscriber = subscribe("ada@example.org")
    path = f"/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
    with later(0.5 / 24):
        assert Client().get(path).status_code == 200
    with later(2 / 24):
        assert_expired_page(Client().get(path))

