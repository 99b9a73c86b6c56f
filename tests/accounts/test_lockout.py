"""Admin sign-in is locked after repeated failures, for that username from that address."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


@pytest.fixture
def editor(db):
    return User.objects.create_user("grace", password="correct horse battery", is_staff=True)


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "grace", "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "grace", "wrong")
    assert locked.status_code == 429
    assert b"Sign-in locked" in locked.content
    right = sign_in(client, "grace", "correct horse battery")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_touches_neither_other_addresses_nor_other_users(client, editor):
    User.objects.create_user("linus", password="another long secret", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "grace", "wrong")
    elsewhere = sign_in(client, "grace", "correct horse battery", address="198.51.100.2")
    assert elsewhere.status_code == 302
    client.logout()
    assert sign_in(client, "linus", "another long secret").status_code == 302


def test_a_success_resets_the_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "grace", "wrong")
    assert sign_in(client, "grace", "correct horse battery").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "grace", "wrong")
    assert sign_in(client, "grace", "correct horse battery").status_code == 302


def test_the_test_clients_login_still_works(client, editor):
    """Tests across the project sign in with client.login(); lockout must not break it."""
    assert client.login(username="grace", password="correct horse battery")
    assert not client.login(username="grace", password="wrong")


def test_behind_a_trusted_proxy_each_editor_is_counted_at_their_own_address(
        client, editor, settings):
    """Behind nginx every request comes from the proxy; lockout must still be per reader."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(password, reader):
        return client.post("/admin/login/?next=/admin/",
                           {"username": "grace", "password": password},
                           REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=reader)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("wrong", "203.0.113.66")
    assert via_proxy("correct horse battery", "203.0.113.66").status_code == 429
    assert via_proxy("correct horse battery", "198.51.100.9").status_code == 302
