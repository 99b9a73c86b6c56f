"""Admin sign-in locks after repeated failures: for a username from one address, for a
username from anywhere, and for an address trying any usernames (an IPv6 /64 as one)."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

USERNAME_LIMIT = settings.LOCKOUT_LIMITS["username",]
ADDRESS_LIMIT = settings.LOCKOUT_LIMITS["ip_address",]


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Check passwords with a cheap hasher: its cost is not under test, a hundred sign-ins are."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_one_username_tried_from_many_addresses_is_locked_at_its_limit(client, editor):
    statuses = [sign_in(client, "grace", "wrong", address=f"198.51.100.{n}").status_code
                for n in range(1, 26)]
    # Each address stays far below the pair's limit; the username's own limit locks it.
    assert statuses == [200] * (USERNAME_LIMIT - 1) + [429] * (25 - USERNAME_LIMIT + 1)
    right = sign_in(client, "grace", "correct horse battery", address="192.0.2.200")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The way out docs/security.md gives an administrator.
    call_command("axes_reset_username", "grace", stdout=io.StringIO())
    assert sign_in(client, "grace", "correct horse battery",
                   address="192.0.2.200").status_code == 302


def test_one_address_trying_many_usernames_is_locked_at_its_limit(client, editor):
    statuses = [sign_in(client, f"editor{n}", "Summer2024!").status_code
                for n in range(ADDRESS_LIMIT)]
    assert statuses == [200] * (ADDRESS_LIMIT - 1) + [429]
    assert sign_in(client, "grace", "correct horse battery").status_code == 429
    assert sign_in(client, "grace", "correct horse battery",
                   address="198.51.100.2").status_code == 302


def test_ipv6_addresses_in_one_64_count_together_and_other_64s_apart(client, editor):
    statuses = [sign_in(client, f"editor{n}", "Summer2024!",
                        address=f"2001:db8:1:2::{n + 1:x}").status_code
                for n in range(ADDRESS_LIMIT)]
    assert statuses[-1] == 429
    # Anywhere in the same /64 is the same attacker; the next /64 is someone else.
    assert sign_in(client, "grace", "correct horse battery",
                   address="2001:db8:1:2:ffff:ffff:ffff:fffe").status_code == 429
    assert sign_in(client, "grace", "correct horse battery",
                   address="2001:db8:1:3::1").status_code == 302


def test_a_success_forgives_only_its_own_failures(client, editor):
    """A sprayer holding one account cannot clear their address's count by signing in."""
    for n in range(ADDRESS_LIMIT - 1):
        sign_in(client, f"editor{n}", "Summer2024!")
    assert sign_in(client, "grace", "correct horse battery").status_code == 302
    client.logout()
    assert sign_in(client, "editor99", "Summer2024!").status_code == 429
