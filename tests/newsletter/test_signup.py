"""Signing up: the footer form, double opt-in by email, and what bots and repeats get."""

import datetime as dt
import re

import pytest
from django.test import Client, TestCase

from dayfacts.newsletter.forms import SignupForm
from dayfacts.newsletter.models import Subscriber, SubscriberStatus

from .conftest import links, parts, run_worker, subscribe

# Transactional: the worker run inside a test checks its connection as a real one would,
# which a test-wide transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)
# What a browser sends with a form from one of the site's own pages.
OWN_PAGE = {"Sec-Fetch-Site": "same-origin"}


def sign_up(client=None, ip="192.0.2.1", **fields):
    data = {"email": "ada@example.org", "frequency": "daily", "delivery_hour": "",
            "time_zone": "", "website": ""}
    data.update(fields)
    # The confirmation email is queued when the sign-up commits; the test's transaction
    # never commits, so its on-commit hooks are run here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or Client()).post("/newsletter/", data, REMOTE_ADDR=ip, headers=OWN_PAGE)


def confirmation_link(message):
    text, html = parts(message)
    found = [url for url in links(text) if "/newsletter/confirm/" in url]
    assert found and found[0] in links(html)
    return found[0].removeprefix("https://dayfacts.example")


def test_every_page_has_the_signup_form_and_nothing_personal():
    subscribe("someone@example.org")
    page = Client().get("/march/20/").content.decode()
    form = re.search(r'<form method="post" action="/newsletter/">.*?</form>', page, re.S)
    assert form, "the footer has no sign-up form"
    for name in ("email", "frequency", "delivery_hour", "time_zone", "website"):
        assert f'name="{name}"' in form.group(0)
    # The page is shared by every reader: no token, the browser's headers guard the form.
    assert "csrfmiddlewaretoken" not in form.group(0)
    assert "<script" not in form.group(0) and "style=" not in form.group(0)
    assert "someone@example.org" not in page
    hours = re.search(r'<select id="footer-newsletter-hour" name="delivery_hour">(.*?)</select>',
                      form.group(0), re.S).group(1)
    assert re.findall(r'<option value="(\d*)"', hours) == ["", *map(str, range(24))]
    assert '<option value="" selected>Default (07:00)</option>' in hours
    assert '<option value="13">13:00</option>' in hours


def test_footer_names_the_default_hour_the_site_is_set_to(settings):
    settings.NEWSLETTER_DEFAULT_HOUR = 9
    page = Client().get("/march/20/").content.decode()
    assert '<option value="" selected>Default (09:00)</option>' in page


def test_footer_form_signs_up_without_javascript(mail):
    client = Client(enforce_csrf_checks=True)
    client.get("/march/20/")
    response = sign_up(client, email="Ada@Example.org", delivery_hour="6",
                       time_zone="europe/paris", frequency="weekly")
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.delivery_hour, subscriber.time_zone,
            subscriber.frequency) == ("ada@example.org", 6, "Europe/Paris", "weekly")


def test_double_opt_in(mail):
    response = sign_up()
    assert response.status_code == 302
    assert b"Check your inbox" in Client().get(response["Location"]).content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert (subscriber.delivery_hour, subscriber.time_zone) == (7, "UTC")

    run_worker()
    [message] = mail.to("ada@example.org")
    assert message["Subject"] == "Confirm your subscription to dayfacts"
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    link = confirmation_link(message)

    # Following the link shows a button; a mail scanner's GET confirms nothing.
    client = Client(enforce_csrf_checks=True)
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    done = client.post(link, headers=OWN_PAGE)
    assert done.status_code == 200 and b"You're subscribed" in done.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at


def test_known_address_gets_the_same_answer_and_no_mail(mail):
    subscribe("ada@example.org")
    new = sign_up(email="new@example.org", ip="192.0.2.7")
    known = sign_up(email="ada@example.org", ip="192.0.2.8")
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    run_worker()
    assert mail.to("ada@example.org") == [] and len(mail.to("new@example.org")) == 1
    assert Subscriber.objects.get(email="ada@example.org").status == SubscriberStatus.ACTIVE


def test_repeated_signup_does_not_flood_the_inbox(mail):
    for _ in range(3):
        sign_up()
    run_worker()
    assert len(mail.to("ada@example.org")) == 1


def test_honeypot_is_answered_like_a_person_and_stores_nothing(mail):
    response = sign_up(website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == "/newsletter/check-your-inbox/"
    run_worker()
    assert Subscriber.objects.count() == 0 and mail.arrivals == []


def test_signups_are_rate_limited_per_ip(mail, settings):
    settings.NEWSLETTER_SIGNUP_RATE = "3/h"
    for n in range(3):
        assert sign_up(email=f"r{n}@example.org").status_code == 302
    blocked = sign_up(email="r9@example.org")
    assert blocked.status_code == 429
    assert b"Too many sign-ups" in blocked.content and b'value="r9@example.org"' in blocked.content
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    # Another address (another reader) is not blocked.
    assert sign_up(email="r9@example.org", ip="198.51.100.4").status_code == 302


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix():
    response = sign_up(email="not-an-address", time_zone="Mars/Olympus_Mons")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "is not a time zone we know" in body
    assert 'value="not-an-address"' in body and 'value="Mars/Olympus_Mons"' in body
    assert Subscriber.objects.count() == 0


def test_confirmation_link_expires(mail, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    sign_up()
    run_worker()
    link = confirmation_link(mail.to("ada@example.org")[0])
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
                         + dt.timedelta(seconds=settings.NEWSLETTER_CONFIRM_MAX_AGE + 60),
                         tick=False)
    page = Client().post(link)
    assert page.status_code == 410 and b"expired" in page.content
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_tampered_confirmation_link_is_404(mail):
    sign_up()
    run_worker()
    link = confirmation_link(mail.to("ada@example.org")[0])
    assert Client().get(link[:-3] + "xx/").status_code == 404


def test_signup_form_and_service_for_other_callers(mail, rf):
    """The API posts sign-ups through SignupForm and request_signup, as the page does."""
    from dayfacts.newsletter.services import request_signup

    form = SignupForm({"email": " Grace@Example.org ", "frequency": "daily"})
    assert form.is_valid(), form.errors
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_signup(form, rf.post("/api/newsletter/", REMOTE_ADDR="203.0.113.9"))
    run_worker()
    assert len(mail.to("grace@example.org")) == 1
    assert not SignupForm({"email": "x@example.org", "frequency": "hourly"}).is_valid()


def test_coming_back_after_unsubscribing_needs_a_new_confirmation(mail):
    old = subscribe("ada@example.org")
    old.unsubscribe()
    sign_up()
    run_worker()
    fresh = Subscriber.objects.get()
    assert fresh.status == SubscriberStatus.PENDING and fresh.key != old.key
    assert len(mail.to("ada@example.org")) == 1


def test_subscriber_downloads_and_deletes_their_data(mail):
    from dayfacts.newsletter.tokens import unsubscribe_token

    subscriber = subscribe("ada@example.org")
    token = unsubscribe_token(subscriber)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/newsletter/unsubscribe/{token}/")
    data = client.get(f"/newsletter/unsubscribe/{token}/data/")
    assert data.status_code == 200 and "attachment" in data["Content-Disposition"]
    assert data.json()["email"] == "ada@example.org"
    assert f"/newsletter/unsubscribe/{token}/delete/".encode() in page.content
    gone = client.post(f"/newsletter/unsubscribe/{token}/delete/", headers=OWN_PAGE)
    assert gone.status_code == 200
    assert not Subscriber.objects.exists()
    assert client.get(f"/newsletter/unsubscribe/{token}/data/").status_code == 404
