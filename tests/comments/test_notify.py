"""Editors hear about held comments by email, sent from a background task to a real SMTP server."""

import email
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from dayfacts.comments.models import CommentSettings
from dayfacts.comments.tasks import notify_editors
from tests.comments.conftest import give_author_cookie, make_comment

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def wait(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    """A real SMTP server (aiosmtpd) on a free port; tasks run at once, in the test."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://dayfacts.example"
    yield handler
    controller.stop()


@pytest.fixture
def editors(db):
    users = get_user_model().objects
    # No passwords: hashing one takes longer than the whole test.
    users.create(username="ed", email="ed@example.org", is_staff=True)
    users.create(username="reader", email="reader@example.org")
    users.create(username="gone", email="gone@example.org", is_staff=True, is_active=False)


def test_a_held_comment_emails_the_staff_after_commit(inbox, editors, post_comment,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_comment(text="Please look at this one.")
    assert inbox.messages == []  # nothing is sent inside the request
    for callback in callbacks:
        callback()
    [(recipients, message)] = inbox.wait(1)
    assert recipients == ["ed@example.org"]
    assert "Comment awaiting moderation: The first test fact" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "Please look at this one." in body
    assert "https://dayfacts.example/admin/comments/comment/" in body


def test_configured_addresses_replace_the_staff(inbox, editors, post_comment,
                                                django_capture_on_commit_callbacks):
    rules = CommentSettings.load()
    rules.editor_emails = "mod1@example.org\nmod2@example.org\n"
    rules.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_comment()
    [(recipients, _)] = inbox.wait(1)
    assert recipients == ["mod1@example.org", "mod2@example.org"]


def test_no_email_when_turned_off_or_not_held(inbox, editors, client, post_comment, fact,
                                              django_capture_on_commit_callbacks):
    give_author_cookie(client, make_comment(fact, email="known@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(email="known@example.org", text="published at once")
    assert inbox.wait(1, timeout=0.5) == []
    rules = CommentSettings.load()
    rules.notify_editors = False
    rules.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(text="held, but nobody wants mail")
    assert inbox.wait(1, timeout=0.5) == []


def test_the_task_skips_a_comment_approved_meanwhile(inbox, editors, fact):
    comment = make_comment(fact)  # approved
    assert notify_editors.call(comment.pk) == 0
    assert inbox.messages == []


def test_the_task_is_queued_on_the_database_backend_by_default(editors, post_comment,
                                                               django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        post_comment()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "dayfacts.comments.tasks.notify_editors"
