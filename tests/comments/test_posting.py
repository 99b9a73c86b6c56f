"""Both ways of posting: a plain form POST that redirects, and the in-place JSON answer."""

import pytest

from dayfacts.comments.cookies import COMMENTER, HELD
from dayfacts.comments.models import Comment, CommentStatus
from tests.comments.conftest import make_comment

pytestmark = pytest.mark.django_db


def test_plain_post_redirects_to_the_comments_anchor(post_comment, fact):
    response = post_comment()
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{fact.get_absolute_url()}#comment-{comment.pk}"


def test_in_place_post_answers_json_with_the_comments_html(post_comment):
    response = post_comment(json=True)
    data = response.json()
    comment = Comment.objects.get()
    assert response.status_code == 202
    assert data["status"] == "held"
    assert data["anchor"] == f"comment-{comment.pk}"
    assert f'id="comment-{comment.pk}"' in data["html"]
    assert "Your comment is awaiting moderation." in data["html"]
    assert "grace@example.org" not in response.content.decode()


def test_in_place_post_runs_the_same_validation(post_comment):
    response = post_comment(json=True, email="nope", consent=None)
    data = response.json()
    assert response.status_code == 400
    assert data["errors"]["email"] == ["Please enter a valid email address."]
    assert data["errors"]["consent"] == ["You need to agree with the terms to proceed."]
    assert Comment.objects.count() == 0


def test_get_is_not_a_way_to_post(client, fact):
    assert client.get(f"/comments/post/{fact.slug}/").status_code == 405


def test_posting_to_an_unknown_or_draft_fact_is_404(post_comment, fact):
    fact.status = "draft"
    fact.save()
    assert post_comment().status_code == 404
    assert post_comment(json=True).status_code == 404


def test_remember_sets_a_signed_cookie_that_fills_the_form_next_time(client, post_comment, fact):
    blank = client.get(fact.get_absolute_url()).content.decode()  # the blank fields, kept
    assert 'value="Grace Remembered"' not in blank
    post_comment(remember="on", name="Grace Remembered", url="https://grace.example")
    cookie = client.cookies[COMMENTER]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie.value.count(":") >= 2  # value:timestamp:signature
    page = client.get(fact.get_absolute_url()).content.decode()
    assert 'value="Grace Remembered"' in page and 'value="grace@example.org"' in page
    assert 'value="https://grace.example"' in page
    assert '<input type="checkbox" name="remember" id="comment-remember" checked>' in page


def test_no_remember_cookie_without_the_box_and_posting_unticked_forgets(client, post_comment):
    post_comment()
    assert COMMENTER not in client.cookies
    post_comment(remember="on", email="one@example.org", text="first")
    assert client.cookies[COMMENTER].value
    post_comment(email="two@example.org", text="second")
    assert client.cookies[COMMENTER].value == ""  # deleted


def test_a_forged_cookie_is_ignored(client, fact):
    client.cookies[COMMENTER] = '{"name":"Mallory","email":"m@example.org"}'
    client.cookies[HELD] = "[1,2,3]"
    make_comment(fact, status=CommentStatus.PENDING, text="Secret held text")
    page = client.get(fact.get_absolute_url()).content.decode()
    assert "Mallory" not in page and "Secret held text" not in page


def test_comment_permalink_redirects_to_page_and_anchor(client, fact):
    comment = make_comment(fact)
    response = client.get(f"/comments/{comment.pk}/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.pk}")


def test_held_comment_permalink_is_404_for_others(client, fact):
    comment = make_comment(fact, status=CommentStatus.PENDING)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404
