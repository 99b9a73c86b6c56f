"""Every route, command option and setting of the newsletter is in docs/newsletter.md."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import load_command_class

from dayfacts.newsletter import urls

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "newsletter.md").read_text()


def test_every_route_is_documented():
    for pattern in urls.urlpatterns:
        route = "/newsletter/" + re.sub(r"<\w+:(\w+)>", r"<\1>", str(pattern.pattern))
        assert route in DOCS, route


def test_every_command_option_is_documented():
    for name, options in [("worker", ["--batch", "--interval", "--max-tasks"]),
                          ("newsletter", ["tick", "--loop"])]:
        assert f"dayfacts {name}" in DOCS
        load_command_class("dayfacts.newsletter", name)
        for option in options:
            assert option in DOCS, option


def test_every_setting_is_documented():
    names = [name for name in dir(settings) if name.startswith("NEWSLETTER_")]
    assert len(names) >= 8
    for name in names + ["EMAIL_URL", "DEFAULT_FROM_EMAIL"]:
        assert f"`{name}`" in DOCS, name
