"""Every answer carries the headers that keep injected scripts and framing out."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dayfacts import settings as project_settings

TEMPLATES = Path(project_settings.PACKAGE_DIR) / "templates"


def directives(response):
    """Split a Content-Security-Policy header into {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.mark.parametrize("path", ["/", "/march/20/", "/no/such/page/", "/admin/login/"])
def test_pages_carry_a_policy_without_inline_scripts(client, db, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_needs_an_inline_script_or_style():
    """The policy blocks inline code, so a template that relies on it would break silently."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>",
                               re.IGNORECASE)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    style_attr = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        if "email" in template.relative_to(TEMPLATES).parts:
            continue  # mail is not served under the policy, and mail readers need inline style
        text = template.read_text()
        for name, pattern in [("inline script", inline_script), ("event handler", handler),
                              ("style attribute", style_attr)]:
            if pattern.search(text):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {name}")
    assert offenders == []


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# Pages name hashed static files; this probe runs without collectstatic.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
response = Client().get("/admin/login/", secure=True)
insecure = Client().get("/", secure=False)
cookies = {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
           for name, m in response.cookies.items()}
print(json.dumps({"hsts": response.get("Strict-Transport-Security", ""),
                  "cookies": cookies, "insecure_status": insecure.status_code,
                  "insecure_location": insecure.get("Location", "")}))
"""


def production_env(tmp_path):
    """Environment for a process running with production settings on loopback services."""
    env = dict(os.environ)
    env.update({
        "DAYFACTS_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-probe-key-with-enough-variety-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "ALLOWED_HOSTS": "testserver,example.org",
        "SITE_URL": "https://example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "EMAIL_URL": f"file://{tmp_path / 'outbox'}",
        "DAYFACTS_VAR_DIR": str(tmp_path),
    })
    env.pop("DEBUG", None)
    return env


def test_production_sends_hsts_and_secure_httponly_cookies(tmp_path):
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], env=production_env(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert "max-age=31536000" in probe["hsts"]
    assert "includeSubDomains" in probe["hsts"]
    assert probe["cookies"]["csrftoken"] == {"secure": True, "httponly": True}
    # Plain HTTP is sent to HTTPS before any page is served.
    assert probe["insecure_status"] == 301
    assert probe["insecure_location"].startswith("https://")


def test_deploy_checks_find_no_security_problem(tmp_path):
    """Django's deployment checks pass with production settings (CI runs the full command)."""
    result = subprocess.run(
        [sys.executable, "-m", "dayfacts", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    output = result.stdout + result.stderr
    problems = re.findall(r"\((security|csp|axes)\.\w+\)[^\n]*", output)
    assert problems == [], output
