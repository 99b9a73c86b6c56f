"""A commenter is known by proof, not by a typed address; and the answer to a post is no oracle."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dayfacts.comments.cookies import AUTHOR, HELD
from dayfacts.comments.models import Comment, CommentStatus
from tests.comments.conftest import form_data, give_author_cookie, make_comment

pytestmark = pytest.mark.django_db

KNOWN = "grace@example.org"


def public_page(fact):
    return Client().get(fact.get_absolute_url()).content.decode()


# Impersonation -------------------------------------------------------------------------------


def test_typing_an_approved_commenters_email_does_not_publish(post_comment, fact):
    make_comment(fact, email=KNOWN, text="My earlier, approved words")
    response = post_comment(email="Grace@Example.org", text="Words put in her mouth")
    assert response.status_code == 302
    assert Comment.objects.get(text="Words put in her mouth").status == CommentStatus.PENDING
    assert "Words put in her mouth" not in public_page(fact)


def test_the_browser_that_wrote_an_approved_comment_is_published_at_once(post_comment, fact,
                                                                         settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(email=KNOWN, text="My first words")
    first = Comment.objects.get()
    assert first.status == CommentStatus.PENDING
    first.status = CommentStatus.APPROVED  # an editor approves it
    first.save()

    response = post_comment(email=KNOWN, text="Back again", json=True)
    assert response.status_code == 202
    assert response.json()["status"] == "approved"
    assert response.json()["message"] == "Thank you, your comment is published."
    assert "Your comment is awaiting moderation." not in response.json()["html"]
    assert "Back again" in public_page(fact)
    # The same browser typing someone else's address proves nothing about that address.
    make_comment(fact, email="ann@example.org", text="Ann's approved words")
    post_comment(email="ann@example.org", text="Posing as Ann")
    assert Comment.objects.get(text="Posing as Ann").status == CommentStatus.PENDING


def test_the_author_cookie_proves_only_an_approved_comment_under_that_address(fact, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    approved = make_comment(fact, email=KNOWN, text="Approved")
    held = make_comment(fact, email="ann@example.org", text="Held", status=CommentStatus.PENDING)
    reader = Client()
    give_author_cookie(reader, approved, held)
    reader.post(f"/comments/post/{fact.slug}/", form_data(email="ann@example.org", text="A"),
                REMOTE_ADDR="10.3.0.1")
    assert Comment.objects.get(text="A").status == CommentStatus.PENDING
    reader.post(f"/comments/post/{fact.slug}/", form_data(email=KNOWN, text="B"),
                REMOTE_ADDR="10.3.0.2")
    assert Comment.objects.get(text="B").status == CommentStatus.APPROVED
    # A cookie that is not the site's own signature proves nothing.
    forger = Client()
    forger.cookies[AUTHOR] = f"[{approved.pk}]"
    forger.post(f"/comments/post/{fact.slug}/", form_data(email=KNOWN, text="C"),
                REMOTE_ADDR="10.3.0.3")
    assert Comment.objects.get(text="C").status == CommentStatus.PENDING
    # Approved comments withdrawn (here, marked spam) are no proof any more.
    for comment in Comment.objects.approved():
        comment.status = CommentStatus.SPAM
        comment.save()
    reader.post(f"/comments/post/{fact.slug}/", form_data(email=KNOWN, text="D"),
                REMOTE_ADDR="10.3.0.4")
    assert Comment.objects.get(text="D").status == CommentStatus.PENDING


# The answer is no oracle ---------------------------------------------------------------------


@pytest.fixture
def graces_comment(fact, settings):
    # The flood window would answer the second post about one address; the oracle through
    # the flood window has its own test.
    settings.COMMENTS_FLOOD_SECONDS = 0
    return make_comment(fact, email=KNOWN, name="Grace Visitor", text="Well said.")


# What a stranger may try: each would once have answered differently.
STRANGER_POSTS = {
    "would be published": {"email": KNOWN, "text": "A new remark."},
    "held": {"email": "newcomer@example.org", "text": "A new remark."},
    "copy of another's comment": {"email": KNOWN, "text": "Well said."},
}


def page_shape(response):
    """What a poster can observe of an answer, less the new comment's id and the clock."""
    cookies = {name: {key: value for key, value in morsel.items() if value and key != "expires"}
               for name, morsel in response.cookies.items()}
    headers = {name: re.sub(r"\d+", "N", value) for name, value in response.headers.items()
               if name.lower() != "x-request-id"}
    return response.status_code, headers, cookies


def json_shape(response):
    data = response.json()
    assert "Your comment is awaiting moderation." in data["html"]
    return page_shape(response), sorted(data), {
        key: value for key, value in data.items() if key not in ("id", "anchor", "url", "html")}


def test_a_stranger_gets_one_answer_whatever_became_of_the_comment(fact, graces_comment):
    pages, jsons, browsers = {}, {}, {}
    for n, (case, fields) in enumerate(STRANGER_POSTS.items()):
        for as_json, found in ((False, pages), (True, jsons)):
            stranger = Client()
            response = stranger.post(
                f"/comments/post/{fact.slug}/", form_data(**fields),
                REMOTE_ADDR=f"10.4.{n}.{int(as_json) + 1}",
                headers={"Accept": "application/json"} if as_json else {})
            found[case] = json_shape(response) if as_json else page_shape(response)
            browsers[case, as_json] = stranger
            if not as_json:
                # The poster sees their own comment as held, whatever it became.
                own = stranger.get(response.headers["Location"]).content.decode()
                assert own.count("Your comment is awaiting moderation.") == 1
    assert len({repr(shape) for shape in pages.values()}) == 1, pages
    assert len({repr(shape) for shape in jsons.values()}) == 1, jsons
    assert pages["held"][0] == 302 and HELD in pages["held"][2]
    assert jsons["held"][2]["status"] == "held"
    # The copy of Grace's comment is not shown to anyone but its poster.
    assert public_page(fact).count("Well said.") == 1
    # Only a copy of the poster's own comment, proven by their cookie, is named as one.
    again = browsers["held", True].post(
        f"/comments/post/{fact.slug}/", form_data(**STRANGER_POSTS["held"]),
        REMOTE_ADDR="10.4.9.9", headers={"Accept": "application/json"})
    assert (again.status_code, again.json()["status"]) == (409, "duplicate")


def test_the_api_gives_a_stranger_one_answer(client, fact, graces_comment):
    answers = {}
    for n, (case, fields) in enumerate(STRANGER_POSTS.items()):
        data = {"name": "Grace Visitor", "consent": True, **fields}
        response = Client().post(f"/api/v1/facts/{fact.pk}/comments", data,
                                 content_type="application/json", REMOTE_ADDR=f"10.5.0.{n + 1}")
        answers[case] = (response.status_code, response.json(), page_shape(response))
    assert len({repr(answer) for answer in answers.values()}) == 1, answers
    assert answers["held"][:2] == (202, {"status": "held", "detail":
                                         "Thank you. Your comment is awaiting moderation."})
    assert public_page(fact).count("Well said.") == 1


def test_an_address_that_just_posted_elsewhere_is_not_revealed(post_comment, fact):
    make_comment(fact, email=KNOWN, text="Just now", age=timedelta(seconds=2))
    recent = post_comment(email=KNOWN, text="Hello", json=True)
    quiet = post_comment(email="quiet@example.org", text="Hello", json=True)
    assert json_shape(recent) == json_shape(quiet)
    assert recent.status_code == 202


# Editing a published comment refreshes what readers see ---------------------------------------


@pytest.fixture
def moderator(client, db):
    editor = get_user_model().objects.create(username="moderator", is_staff=True,
                                             is_superuser=True)
    client.force_login(editor)
    return client


def test_editing_a_published_comment_refreshes_every_page_that_shows_it(moderator, fact):
    comment = make_comment(fact, text="Teh old wording")
    reader = Client()
    urls = [fact.get_absolute_url(), "/march/20/", "/comments/feed/",
            f"/comments/feed/{fact.slug}/"]
    for url in urls:  # read, and so stored in the page cache where the page is cached
        assert "Teh old wording" in reader.get(url).content.decode()
    form = {"status": "approved", "fact": fact.pk, "parent": "", "name": comment.name,
            "email": comment.email, "url": "", "text": "The corrected wording"}
    response = moderator.post(f"/admin/comments/comment/{comment.pk}/change/", form)
    assert response.status_code == 302
    for url in urls:
        page = reader.get(url).content.decode()
        assert "The corrected wording" in page and "Teh old wording" not in page, url
