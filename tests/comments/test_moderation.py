"""WordPress's default moderation: who is held, who is published, and what only authors see."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dayfacts.comments.models import Comment, CommentSettings, CommentStatus
from dayfacts.comments.signals import comment_visibility_changed
from tests.comments.conftest import give_author_cookie, make_comment

pytestmark = pytest.mark.django_db


def rules(**changes):
    current = CommentSettings.load()
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()


def test_first_comment_is_held_and_only_its_author_sees_it(client, post_comment, fact):
    response = post_comment(text="My very first words here")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    author_page = client.get(response.headers["Location"]).content.decode()
    assert "My very first words here" in author_page
    assert "Your comment is awaiting moderation." in author_page
    stranger_page = Client().get(fact.get_absolute_url()).content.decode()
    assert "My very first words here" not in stranger_page
    assert "awaiting moderation" not in stranger_page


def test_same_email_from_another_browser_does_not_reveal_held_comment(post_comment, fact):
    post_comment(text="Held words")
    other = Client()
    other.post(f"/comments/post/{fact.slug}/", {}, REMOTE_ADDR="10.9.9.9")
    assert "Held words" not in other.get(fact.get_absolute_url()).content.decode()


def test_a_known_commenter_is_published_at_once(client, post_comment, fact):
    give_author_cookie(client, make_comment(fact, email="Grace@Example.org"))
    response = post_comment(text="Back again")
    assert Comment.objects.get(text="Back again").status == CommentStatus.APPROVED
    assert response.status_code == 302
    assert "Back again" in Client().get(fact.get_absolute_url()).content.decode()


def test_held_or_spam_comments_do_not_count_as_approved_history(post_comment, fact):
    make_comment(fact, email="grace@example.org", status=CommentStatus.PENDING)
    make_comment(fact, email="grace@example.org", status=CommentStatus.SPAM, text="x")
    post_comment()
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_two_links_hold_even_a_known_commenter(client, post_comment, fact):
    give_author_cookie(client, make_comment(fact, email="grace@example.org"))
    post_comment(text="See https://one.example and www.two.example")
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING


def test_one_link_from_a_known_commenter_is_published(client, post_comment, fact):
    give_author_cookie(client, make_comment(fact, email="grace@example.org"))
    post_comment(text="Just https://one.example")
    assert Comment.objects.latest("pk").status == CommentStatus.APPROVED


def test_moderation_words_hold_and_disallowed_words_send_to_spam(client, post_comment, fact):
    give_author_cookie(client, make_comment(fact, email="grace@example.org"),
                       make_comment(fact, email="ann@example.org", text="earlier"))
    rules(moderation_words="Casino\n", disallowed_words="cheap pills\n10.66.")
    post_comment(text="I won at the CASINO")
    assert Comment.objects.latest("pk").status == CommentStatus.PENDING
    post_comment(text="Buy Cheap Pills now", email="ann@example.org")
    assert Comment.objects.latest("pk").status == CommentStatus.SPAM
    # Words match the IP address too, as in WordPress.
    post_comment(text="An innocent remark", email="bob@example.org", ip="10.66.0.1")
    assert Comment.objects.latest("pk").status == CommentStatus.SPAM
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert "CASINO" not in page and "Cheap Pills" not in page and "innocent" not in page


def test_spam_is_answered_like_a_held_comment(post_comment, fact):
    rules(disallowed_words="pills")
    response = post_comment(json=True, text="pills")
    assert response.status_code == 202
    assert response.json()["message"] == "Thank you. Your comment is awaiting moderation."


@pytest.fixture
def editor(db):
    return get_user_model().objects.create(username="editor", email="editor@example.org",
                                           is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client_(client, editor):
    client.force_login(editor)
    return client


def test_the_queue_opens_on_what_is_waiting(admin_client_, fact):
    make_comment(fact, status=CommentStatus.PENDING, text="Waiting one")
    make_comment(fact, status=CommentStatus.APPROVED, text="Already out")
    page = admin_client_.get("/admin/comments/comment/").content.decode()
    assert "Waiting one" in page and "Already out" not in page
    assert "Awaiting moderation (1)" in page
    everything = admin_client_.get("/admin/comments/comment/?queue=all").content.decode()
    assert "Already out" in everything


@pytest.mark.parametrize("action, status", [
    ("approve", CommentStatus.APPROVED), ("mark_spam", CommentStatus.SPAM),
])
def test_bulk_actions(admin_client_, fact, action, status):
    comments = [make_comment(fact, status=CommentStatus.PENDING, text=f"c{i}") for i in range(3)]
    response = admin_client_.post("/admin/comments/comment/", {
        "action": action, "_selected_action": [c.pk for c in comments[:2]]})
    assert response.status_code == 302
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == \
        [status, status, CommentStatus.PENDING]


def test_unapprove_and_delete_in_bulk(admin_client_, fact):
    comments = [make_comment(fact, text=f"c{i}") for i in range(3)]
    admin_client_.post("/admin/comments/comment/?queue=all", {
        "action": "unapprove", "_selected_action": [comments[0].pk]})
    assert Comment.objects.get(pk=comments[0].pk).status == CommentStatus.PENDING
    admin_client_.post("/admin/comments/comment/?queue=all", {
        "action": "delete_selected", "_selected_action": [comments[1].pk, comments[2].pk],
        "post": "yes"})
    assert list(Comment.objects.values_list("pk", flat=True)) == [comments[0].pk]


def test_approve_one_from_its_page_publishes_it(admin_client_, fact):
    comment = make_comment(fact, status=CommentStatus.PENDING, text="Now public")
    url = f"/admin/comments/comment/{comment.pk}/change/"
    form = {"status": "approved", "fact": fact.pk, "parent": "", "name": comment.name,
            "email": comment.email, "url": "", "text": comment.text}
    assert admin_client_.post(url, form).status_code == 302
    assert "Now public" in Client().get(fact.get_absolute_url()).content.decode()


def test_approval_and_withdrawal_send_the_visibility_signal(fact):
    seen = []

    def listener(sender, comment, fact, visible, **kwargs):
        seen.append((comment.pk, fact.pk, visible))

    comment_visibility_changed.connect(listener)
    try:
        comment = make_comment(fact, status=CommentStatus.PENDING)
        comment.status = CommentStatus.APPROVED
        comment.save()
        comment.text = "edited"
        comment.save()  # still visible, but its words changed
        comment.status = CommentStatus.SPAM
        comment.save()
        Comment.objects.get(pk=comment.pk).delete()  # spam: nothing readers saw changes
        approved = make_comment(fact, text="public")
        Comment.objects.get(pk=approved.pk).delete()
    finally:
        comment_visibility_changed.disconnect(listener)
    assert seen == [(comment.pk, fact.pk, True), (comment.pk, fact.pk, True),
                    (comment.pk, fact.pk, False),
                    (approved.pk, fact.pk, True), (approved.pk, fact.pk, False)]


def test_approving_shows_the_comment_to_everyone_at_once(client, fact):
    comment = make_comment(fact, status=CommentStatus.PENDING, text="Soon public")
    assert "Soon public" not in client.get(fact.get_absolute_url()).content.decode()
    comment.status = CommentStatus.APPROVED
    comment.save()
    assert "Soon public" in client.get(fact.get_absolute_url()).content.decode()


def test_settings_admin_opens_the_one_row(admin_client_):
    response = admin_client_.get("/admin/comments/commentsettings/")
    assert response.status_code == 302
    page = admin_client_.get(response.headers["Location"]).content.decode()
    assert "Moderation words" in page and "Disallowed words" in page


def test_staff_without_comment_permissions_cannot_open_the_settings(client, db):
    clerk = get_user_model().objects.create(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/comments/commentsettings/").status_code == 403
    assert client.get("/admin/comments/commentsettings/add/").status_code == 403
