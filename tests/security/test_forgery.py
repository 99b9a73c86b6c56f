"""Cross-site forgery: a refused form is never offered back, and every public form refuses a
post another site's page makes, by the browser's own headers, with no token in the page."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dayfacts.comments.forms import issue_token
from dayfacts.comments.models import Comment
from dayfacts.facts.models import Fact, Status
from dayfacts.newsletter.models import Subscriber, SubscriberStatus
from dayfacts.newsletter.tokens import confirm_token, unsubscribe_token

SITE = "http://testserver"
# What a browser sends with a form, by where the page that sent it came from.
CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
SAME_SITE = {"Sec-Fetch-Site": "same-site", "Origin": "http://blog.testserver"}
OLD_BROWSER_CROSS = {"Origin": "https://evil.example"}  # no Sec-Fetch-Site: Origin decides
OPAQUE_ORIGIN = {"Origin": "null"}  # a sandboxed frame or a data: page
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": SITE}
OLD_BROWSER_SAME = {"Origin": SITE}
TYPED = {"Sec-Fetch-Site": "none"}  # the reader's own navigation
PROGRAM = {}  # curl, a mail program's one-click unsubscribe: neither header


@pytest.fixture(autouse=True)
def quick_comments(settings):
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def fact(db):
    return Fact.objects.create(
        month=3, day=20, year=1952, title="The Senate ratifies the treaty", slug="treaty",
        body="Article.", status=Status.PUBLISHED, featured=True,
        publish_at=timezone.now() - dt.timedelta(days=1))


@pytest.fixture
def subscriber(db):
    return Subscriber.objects.create(
        email="reader@example.org", delivery_hour=7, time_zone="UTC", frequency="daily",
        status=SubscriberStatus.PENDING)


def comment_post(fact, subscriber):
    data = {"name": "Grace", "email": "grace@example.org", "url": "", "consent": "on",
            "text": "A comment a forged post would plant.", "issued": issue_token(),
            "parent": ""}
    return f"/comments/post/{fact.slug}/", data, lambda: Comment.objects.count()


def reply_post(fact, subscriber):
    from dayfacts.comments.models import CommentStatus

    parent = Comment.objects.create(fact=fact, name="Ada", email="ada@example.org",
                                    text="The first word.", status=CommentStatus.APPROVED)
    url, data, count = comment_post(fact, subscriber)
    return url, {**data, "parent": str(parent.pk)}, count


def signup_post(fact, subscriber):
    data = {"email": "new@example.org", "frequency": "daily", "delivery_hour": "7",
            "time_zone": "UTC", "consent": "on"}
    return "/newsletter/", data, lambda: Subscriber.objects.count()


def confirm_post(fact, subscriber):
    url = f"/newsletter/confirm/{confirm_token(subscriber)}/"
    return url, {}, lambda: Subscriber.objects.get(pk=subscriber.pk).status


def unsubscribe_post(fact, subscriber):
    Subscriber.objects.filter(pk=subscriber.pk).update(status=SubscriberStatus.ACTIVE)
    url = f"/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/"
    return url, {"List-Unsubscribe": "One-Click"}, \
        lambda: Subscriber.objects.get(pk=subscriber.pk).status


def delete_post(fact, subscriber):
    url = f"/newsletter/unsubscribe/{unsubscribe_token(subscriber)}/delete/"
    return url, {}, lambda: Subscriber.objects.filter(pk=subscriber.pk).exists()


def main_of(response):
    """The page's own content: the footer's sign-up form is on every page."""
    return response.content.decode().split("<main", 1)[-1].split("</main>", 1)[0]


FORMS = [comment_post, reply_post, signup_post, confirm_post, unsubscribe_post, delete_post]


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.__name__)
@pytest.mark.parametrize("headers", [CROSS_SITE, SAME_SITE, OLD_BROWSER_CROSS, OPAQUE_ORIGIN],
                         ids=["cross-site", "same-site", "origin-only", "null-origin"])
def test_a_public_form_refuses_a_post_from_another_sites_page(fact, subscriber, form, headers):
    url, data, state = form(fact, subscriber)
    before = state()
    response = Client().post(url, data, headers=headers)
    assert response.status_code == 403
    assert state() == before, "a refused post changed nothing"
    main = main_of(response)
    assert "refused" in main
    # Nothing of what was sent comes back, and nothing to send it again with.
    for value in data.values():
        if len(value) > 3:
            assert value not in main
    assert "<form" not in main


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.__name__)
@pytest.mark.parametrize("headers", [SAME_ORIGIN, OLD_BROWSER_SAME, TYPED, PROGRAM],
                         ids=["same-origin", "origin-only", "typed", "no-browser"])
def test_a_public_form_takes_a_post_from_the_sites_own_page(fact, subscriber, form, headers):
    url, data, state = form(fact, subscriber)
    before = state()
    response = Client(enforce_csrf_checks=True).post(url, data, headers=headers)
    assert response.status_code < 400, response.content[:300]
    assert state() != before, "the post did what the form is for, with no token"


def test_a_trusted_origin_may_post_across_sites(fact, subscriber, settings):
    # A static export served from its own host posts its forms to the dynamic site.
    settings.CSRF_TRUSTED_ORIGINS = ["https://static.example"]
    url, data, state = signup_post(fact, subscriber)
    response = Client().post(url, data, headers={"Sec-Fetch-Site": "cross-site",
                                                 "Origin": "https://static.example"})
    assert response.status_code < 400
    assert state() == 2


def test_the_admin_never_offers_a_forged_password_change_back(db):
    """A hostile page posts a new password to an editor's admin form: a bare 403, no form."""
    editor = get_user_model().objects.create_superuser("editor", "ed@example.org", "old-secret-1")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    forged = {"password1": "attacker-chose-this-9", "password2": "attacker-chose-this-9",
              "usable_password": "true"}
    url = f"/admin/auth/user/{editor.pk}/password/"
    response = browser.post(url, forged, headers=SAME_ORIGIN)  # no token: Django's check
    assert response.status_code == 403
    page = response.content.decode()
    assert "attacker-chose-this-9" not in page
    assert "password1" not in page and "csrfmiddlewaretoken" not in page
    assert "<form" not in main_of(response)
    editor.refresh_from_db()
    assert editor.check_password("old-secret-1")
    # The admin still takes the same change with its own token, from its own page.
    form = browser.get(url)
    token = form.context["csrf_token"]
    done = browser.post(url, {**forged, "csrfmiddlewaretoken": str(token)}, headers=SAME_ORIGIN)
    assert done.status_code == 302
