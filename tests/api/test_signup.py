"""Newsletter sign-ups through the API: the newsletter's own form and service, real SMTP."""

import pytest

from dayfacts.newsletter.models import Subscriber, SubscriberStatus
from tests.newsletter.conftest import run_worker

from .test_posting import post

SIGNUP = "/api/v1/newsletter/signups"


# A real commit: the email is queued on commit, and the task worker closes connections.
@pytest.mark.django_db(transaction=True)
def test_a_signup_sends_the_confirmation_email(client, mail):
    response = post(client, SIGNUP, {"email": "Ada@Example.org", "frequency": "weekly",
                                     "time_zone": "Europe/Paris"})
    assert response.status_code == 202
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.frequency, subscriber.time_zone,
            subscriber.status) == ("ada@example.org", "weekly", "Europe/Paris",
                                   SubscriberStatus.PENDING)
    run_worker()
    assert len(mail.to("ada@example.org")) == 1


def test_a_known_address_gets_the_same_answer(client, db, mail):
    first = post(client, SIGNUP, {"email": "ada@example.org"})
    again = post(client, SIGNUP, {"email": "ada@example.org"})
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert Subscriber.objects.count() == 1


def test_a_bad_signup_says_what_to_fix_as_the_form_does(client, db):
    response = post(client, SIGNUP, {"email": "nope", "time_zone": "Mars/Olympus_Mons",
                                     "frequency": "hourly"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["email"] == ["Enter a valid email address."]
    assert "is not a time zone we know" in errors["time_zone"][0]
    assert "frequency" in errors
    assert not Subscriber.objects.exists()


def test_signups_past_the_newsletter_rate_are_429_with_retry_after(client, db, mail, settings):
    settings.NEWSLETTER_SIGNUP_RATE = "2/h"
    statuses = [post(client, SIGNUP, {"email": f"r{n}@example.org"}).status_code
                for n in range(3)]
    assert statuses == [202, 202, 429]
    blocked = post(client, SIGNUP, {"email": "r9@example.org"})
    assert int(blocked["Retry-After"]) > 0
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
