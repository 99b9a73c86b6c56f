"""`dayfacts serve` (what `make run` starts) sends the confirmation email with no extra
step: its worker runs the task, and the default EMAIL_URL leaves an .eml file in var/outbox."""

import email
import email.policy
import http.cookiejar
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.servers import free_port


@pytest.mark.django_db(transaction=True)
def test_serve_sends_the_confirmation_email_to_the_outbox(shared_db, tmp_path):
    env = {k: v for k, v in shared_db.items() if k != "EMAIL_URL"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dayfacts", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = opener.open(base + "/newsletter/", timeout=5).read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert 'action="/newsletter/"' in page
        form = urllib.parse.urlencode({"email": "new@example.org", "frequency": "daily"}).encode()
        answer = opener.open(urllib.request.Request(
            base + "/newsletter/", data=form, headers={"Origin": base}), timeout=10)
        assert answer.url.endswith("/newsletter/check-your-inbox/")

        outbox = tmp_path / "outbox"
        while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.3)
        [eml] = list(outbox.glob("*.eml"))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "new@example.org"
    assert "/newsletter/confirm/" in message.get_body(("plain",)).get_content()
