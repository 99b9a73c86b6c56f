"""Threads: replies nest to the depth setting, oldest first, 50 threads a page, anchors."""

import pytest
from django.test import Client

from dayfacts.comments.models import Comment, CommentSettings, CommentStatus
from tests.comments.conftest import give_author_cookie, make_comment

pytestmark = pytest.mark.django_db


def test_a_reply_nests_under_its_parent(client, post_comment, fact):
    parent = make_comment(fact, text="The first word")
    give_author_cookie(client, make_comment(fact, email="grace@example.org", text="older approval"))
    response = post_comment(parent=str(parent.pk), text="A reply to it")
    reply = Comment.objects.get(text="A reply to it")
    assert reply.parent == parent and reply.depth == 2
    assert response.headers["Location"].endswith(f"#comment-{reply.pk}")
    page = Client().get(fact.get_absolute_url()).content.decode()
    thread = page[page.index(f'id="comment-{parent.pk}"'):]
    assert thread.index('<ol class="children">') < thread.index(f'id="comment-{reply.pk}"')


def test_reply_link_works_without_javascript(client, fact):
    parent = make_comment(fact)
    assert 'name="parent" value=' not in client.get(fact.get_absolute_url()).content.decode()
    page = client.get(f"{fact.get_absolute_url()}?replytocom={parent.pk}").content.decode()
    assert f'name="parent" value="{parent.pk}"' in page
    assert "data-replying-to hidden" not in page


def test_replies_stop_at_the_depth_setting(post_comment, fact):
    settings_row = CommentSettings.load()
    settings_row.max_depth = 2
    settings_row.save()
    top = make_comment(fact, text="top")
    second = make_comment(fact, parent=top, text="second")
    assert second.depth == 2
    response = post_comment(parent=str(second.pk), text="too deep")
    assert response.status_code == 400
    assert "Replies cannot nest deeper here" in response.content.decode()
    assert "too deep" in response.content.decode()
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert f"replytocom={top.pk}" in page and f"replytocom={second.pk}" not in page


def test_default_depth_is_five(fact):
    comment = None
    for level in range(1, 6):
        comment = make_comment(fact, parent=comment, text=f"level {level}")
    assert comment.depth == 5
    assert CommentSettings.load().max_depth == 5


def test_reply_to_a_held_or_foreign_comment_is_refused(post_comment, fact, other_fact):
    held = make_comment(fact, status=CommentStatus.PENDING)
    foreign = make_comment(other_fact)
    for parent in (held, foreign):
        response = post_comment(parent=str(parent.pk), email=f"r{parent.pk}@example.org")
        assert response.status_code == 400
        assert "is not here any more" in response.content.decode()


def test_oldest_first_and_fifty_threads_a_page(client, fact):
    from datetime import timedelta
    comments = [make_comment(fact, text=f"Comment number {i:02d}.",
                             age=timedelta(hours=100 - i)) for i in range(51)]
    first = client.get(fact.get_absolute_url()).content.decode()
    assert first.index("Comment number 00.") < first.index("Comment number 01.")
    assert "Comment number 49." in first and "Comment number 50." not in first
    assert "Newer comments" in first
    second = client.get(f"{fact.get_absolute_url()}?cpage=2").content.decode()
    assert "Comment number 50." in second and "Comment number 49." not in second
    assert "51 comments on" in first
    response = client.get(comments[50].get_absolute_url())
    assert response.headers["Location"] == \
        f"{fact.get_absolute_url()}?cpage=2#comment-{comments[50].pk}"


def test_bad_page_numbers_do_not_break_the_page(client, fact):
    make_comment(fact)
    for value in ("999", "abc", "-1"):
        assert client.get(f"{fact.get_absolute_url()}?cpage={value}").status_code == 200


def test_every_comment_has_an_anchor_and_a_permalink(client, fact):
    comment = make_comment(fact)
    page = client.get(fact.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert f'href="/comments/{comment.pk}/"' in page
