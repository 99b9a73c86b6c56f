import email
import email.policy
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection

from dayfacts.newsletter.mailurl import FILE_BACKEND, SMTP_BACKEND, email_settings


def test_default_file_url_writes_eml_files(tmp_path):
    config = email_settings(f"file://{tmp_path / 'outbox'}")
    assert config == {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": str(tmp_path / "outbox")}


def test_relative_file_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert email_settings("file://./var/outbox")["EMAIL_FILE_PATH"] == str(
        tmp_path / "var" / "outbox")


@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example.org", {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 25,
                                 "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
    ("smtp://user:p%40ss@mail.example.org:2525?tls",
     {"EMAIL_PORT": 2525, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "user",
      "EMAIL_HOST_PASSWORD": "p@ss"}),
    ("smtp+tls://mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True}),
    ("smtps://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True,
                                       "EMAIL_USE_TLS": False}),
    ("smtp://mail.example.org?tls=0&timeout=5", {"EMAIL_USE_TLS": False,
                                                  "EMAIL_TIMEOUT": 5.0}),
])
def test_smtp_urls(url, expected):
    config = email_settings(url)
    assert config["EMAIL_BACKEND"] == SMTP_BACKEND
    assert {key: config[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["ftp://x", "smtps://host?tls", "smtp://host:notaport",
                                 "file://"])
def test_bad_urls_say_what_is_wrong(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)


@pytest.mark.django_db
def test_file_backend_leaves_one_eml_per_message(tmp_path, settings):
    from dayfacts.newsletter.mail import confirmation_message
    from dayfacts.newsletter.models import Subscriber

    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    subscriber = Subscriber.objects.create(email="ada@example.org")
    sent = get_connection().send_messages([confirmation_message(subscriber)] * 2)
    files = sorted(os.listdir(tmp_path))
    assert sent == 2 and len(files) == 2 and all(name.endswith(".eml") for name in files)
    message = email.message_from_bytes((tmp_path / files[0]).read_bytes(),
                                       policy=email.policy.default)
    assert message["To"] == "ada@example.org"
    assert "/newsletter/confirm/" in message.get_body(("plain",)).get_content()
