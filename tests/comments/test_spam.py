"""Spam and abuse without a third party: honeypot, fill time, flood, duplicates, rate, CSRF."""

import time
from datetime import timedelta

import akismet
import pytest
import time_machine
from django.core import signing
from django.test import Client

from dayfacts.comments import spam
from dayfacts.comments.forms import ISSUED_SALT
from dayfacts.comments.models import Comment, CommentStatus
from tests.comments.conftest import make_comment

pytestmark = pytest.mark.django_db


def test_the_honeypot_sends_to_spam_and_tells_the_bot_nothing(post_comment, fact):
    response = post_comment(json=True, nickname="http://bot.example")
    assert response.status_code == 202
    assert "awaiting moderation" in response.json()["message"]
    assert Comment.objects.get().status == CommentStatus.SPAM
    assert "http://bot.example" not in Client().get(fact.get_absolute_url()).content.decode()


def test_the_honeypot_is_hidden_from_people(client, fact):
    page = client.get(fact.get_absolute_url()).content.decode()
    assert 'class="field comment-hp" aria-hidden="true"' in page
    assert 'name="nickname"' in page and 'tabindex="-1"' in page


def test_a_form_posted_faster_than_anyone_types_is_refused_with_text_kept(settings,
                                                                         post_comment):
    settings.COMMENTS_MIN_FILL_SECONDS = 3
    response = post_comment(text="Typed in no time")
    assert response.status_code == 400
    page = response.content.decode()
    assert "quicker than anyone can type" in page and "Typed in no time" in page
    assert post_comment(issued="forged").status_code == 400
    shown_earlier = signing.dumps(time.time() - 4, salt=ISSUED_SALT)
    assert post_comment(issued=shown_earlier).status_code == 302
    assert Comment.objects.count() == 1


def test_same_ip_within_fifteen_seconds_is_told_to_wait(post_comment, fact):
    assert post_comment(ip="10.7.7.7", email="a@example.org", text="one").status_code == 302
    response = post_comment(ip="10.7.7.7", email="b@example.org", text="two")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too fast: please wait a moment before posting again." in page
    assert "two" in page
    with time_machine.travel(timedelta(seconds=16)):
        assert post_comment(ip="10.7.7.7", email="b@example.org", text="two").status_code == 302


def test_same_email_from_another_ip_within_fifteen_seconds_is_told_to_wait(post_comment):
    post_comment(ip="10.7.7.1", text="one")
    response = post_comment(ip="10.7.7.2", email="GRACE@example.org", text="two", json=True)
    assert response.status_code == 429
    assert response.json()["status"] == "flood"


def test_the_same_text_twice_is_refused_as_a_duplicate(settings, post_comment, fact,
                                                      other_fact):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(text="Well said.")
    response = post_comment(text="Well said.")
    assert response.status_code == 409
    assert "You already posted this comment here" in response.content.decode()
    assert post_comment(text="Well said.", to=other_fact).status_code == 302
    assert post_comment(text="Well said.", email="someone@example.org").status_code == 302


def test_same_name_and_ip_with_a_new_email_is_still_a_duplicate(settings, post_comment):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(ip="10.8.8.8", email="old@example.org", text="Same again")
    assert post_comment(ip="10.8.8.8", text="Same again").status_code == 409


def test_a_copy_of_another_persons_comment_is_kept_from_readers(post_comment, fact):
    make_comment(fact, email="grace@example.org", text="Well said.")
    response = post_comment(text="Well said.")
    assert response.status_code == 302  # answered as any comment is: nothing to learn from it
    assert Comment.objects.latest("pk").status == CommentStatus.SPAM
    assert Client().get(fact.get_absolute_url()).content.decode().count("Well said.") == 1


def test_an_ip_that_posts_too_often_is_rate_limited(settings, post_comment):
    settings.COMMENTS_RATE_LIMIT = "3/h"
    settings.COMMENTS_FLOOD_SECONDS = 0
    codes = [post_comment(ip="10.5.5.5", email=f"p{i}@example.org", text=f"t{i}").status_code
             for i in range(4)]
    assert codes == [302, 302, 302, 429]
    response = post_comment(ip="10.5.5.5", text="kept text", json=True)
    assert response.json()["status"] == "rate_limited"
    assert post_comment(ip="10.5.5.6").status_code == 302  # another address is unaffected


def test_a_post_from_another_sites_page_is_refused(fact):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(f"/comments/post/{fact.slug}/", {"name": "x"},
                            headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_akismet_is_off_by_default_and_never_called(settings, post_comment, monkeypatch):
    from dayfacts import settings as project_settings

    assert project_settings.AKISMET_API_KEY == ""
    assert not spam.akismet_enabled()

    def no_network(*args, **kwargs):
        raise AssertionError("Akismet must not be called without a key")

    monkeypatch.setattr(spam, "CLIENT_CLASS", no_network)
    assert post_comment().status_code == 302


class SpamSaying(akismet.TestSyncClient):
    comment_check_response = akismet.CheckResponse.SPAM


class HamSaying(akismet.TestSyncClient):
    comment_check_response = akismet.CheckResponse.HAM


def test_akismet_verdict_is_used_when_a_key_is_set(settings, post_comment, monkeypatch):
    # The akismet package's own offline client stands in for the internet service.
    settings.AKISMET_API_KEY = "test-key"
    monkeypatch.setattr(spam, "CLIENT_CLASS", SpamSaying)
    post_comment(email="a@example.org", text="one")
    assert Comment.objects.get(text="one").status == CommentStatus.SPAM
    monkeypatch.setattr(spam, "CLIENT_CLASS", HamSaying)
    post_comment(email="b@example.org", text="two")
    assert Comment.objects.get(text="two").status == CommentStatus.PENDING
