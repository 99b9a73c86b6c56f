import itertools
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from dayfacts.comments.cookies import AUTHOR, SALT
from dayfacts.comments.forms import issue_token
from dayfacts.comments.models import Comment, CommentStatus
from dayfacts.facts.models import Fact, Status

_addresses = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and the cached settings row must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_fill_delay(settings):
    # Tests post at machine speed; the time-to-fill rule has its own tests.
    settings.COMMENTS_MIN_FILL_SECONDS = 0


def make_fact(**fields):
    defaults = {
        "month": 3, "day": 20, "year": 1952, "title": "The first test fact",
        "body": "A short article.", "status": Status.PUBLISHED, "featured": True,
        "publish_at": timezone.now() - timedelta(days=1),
    }
    return Fact.objects.create(**{**defaults, **fields})


@pytest.fixture
def fact(db):
    return make_fact(slug="first-test-fact")


@pytest.fixture
def other_fact(db):
    return make_fact(slug="second-test-fact", title="The second test fact", day=21)


def make_comment(fact, *, status=CommentStatus.APPROVED, age=timedelta(hours=1), **fields):
    """A comment stored directly, posted `age` ago (old enough to be out of the flood window)."""
    defaults = {"name": "Ada Reader", "email": "ada@example.org", "text": "Interesting.",
                "ip": "10.0.0.1"}
    comment = Comment.objects.create(fact=fact, status=status, **{**defaults, **fields})
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - age)
    comment.refresh_from_db()
    return comment


def author_cookie(*comments):
    """The signed cookie the site sets in the browser that posted `comments`."""
    response = HttpResponse()
    response.set_signed_cookie(AUTHOR, json.dumps([comment.pk for comment in comments]),
                               salt=SALT)
    return response.cookies


def give_author_cookie(client, *comments):
    """Make `client` the browser that posted `comments`."""
    client.cookies.update(author_cookie(*comments))


def form_data(**overrides):
    data = {
        "name": "Grace Visitor", "email": "grace@example.org", "url": "",
        "text": "I did not know this happened on this day.", "consent": "on",
        "issued": issue_token(), "parent": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post_comment(client, fact):
    """Post the comment form as a browser would, each call from a new address unless given."""

    def post(*, to=None, ip=None, json=False, http=None, **overrides):
        http = http or client
        headers = {"Accept": "application/json"} if json else {}
        return http.post(
            f"/comments/post/{(to or fact).slug}/", form_data(**overrides),
            REMOTE_ADDR=ip or f"10.1.{next(_addresses) // 250}.{next(_addresses) % 250 + 1}",
            headers=headers,
        )

    return post
