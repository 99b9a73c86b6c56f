"""Logs: one JSON object a line with the request id, and no personal data."""

import copy
import json
import logging
import subprocess
import sys

import pytest

from dayfacts.ops.logs import PersonalDataFilter, json_formatter, mask
from tests.pagecache.servers import NGINX, REPO, Process
from tests.servers import free_port, get, site_env

from .servers import Server

# A subscriber's key, and the newsletter's links to it as a reader may open them: whole,
# cut short by a mail program (no signature), or damaged.
KEY = "c3Vic2NyaWJlcktleUFsaWNl"
NEWSLETTER_PATHS = [
    f"/newsletter/confirm/{KEY}:1vXyZ9/",
    f"/newsletter/unsubscribe/{KEY}/",
    f"/newsletter/unsubscribe/{KEY}:1vXyZ9:c2ln/data/",
    f"/newsletter/unsubscribe/{KEY}:1vXyZ9:{'s' * 43}/delete/",
    f"/Newsletter/Unsubscribe/{KEY}/",
]


def test_mask_hides_emails_client_addresses_and_signed_tokens_but_keeps_loopback():
    line = ("reader.one+x@example.org from 203.0.113.9 via 127.0.0.1 opened "
            "/newsletter/confirm/eyJlbWFpbCI6InJAZXhhbXBsZS5vcmcifQ:1vabc2:c2lnbmF0dXJlc2lnbmF0dXJl/")
    masked = mask(line)
    assert "reader.one" not in masked and "example.org" not in masked
    assert "203.0.113.9" not in masked
    assert "127.0.0.1" in masked
    assert "eyJlbWFpbCI6" not in masked
    # The same address always gets the same pseudonym, so one person's records can be matched.
    assert mask("a@example.org") == mask("a@example.org") != mask("b@example.org")


def test_personal_data_filter_masks_arguments_too():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent to %s", ("r@example.org",),
                               None)
    PersonalDataFilter().filter(record)
    assert "r@example.org" not in record.getMessage()
    assert record.getMessage().startswith("sent to <email ")


def test_a_server_in_json_mode_logs_json_lines_with_the_request_id_and_no_address(tmp_path):
    env = site_env(tmp_path, LOG_FORMAT="json", ACCESS_LOG=1)
    server = Server(env).wait_until_up()
    try:
        status, headers, _ = server.get("/no-such-page/reader@example.org/",
                                        headers={"X-Request-ID": "req-4242"})
        assert status == 404
        assert headers["X-Request-ID"] == "req-4242"
        status, headers, _ = server.get("/healthz", headers={"X-Request-ID": "<script>forged"})
        made = headers["X-Request-ID"]
        assert len(made) == 32 and made.isalnum()
    finally:
        server.stop()
    records = []
    for line in server.log().splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
        else:
            # Only Python's own warnings, written straight to stderr, are not JSON.
            assert "Warning" in line or line.startswith("  "), line
    ours = [r for r in records if r.get("request_id") == "req-4242"]
    loggers = {r["logger"] for r in ours}
    assert {"dayfacts.access", "django.request"} <= loggers
    access = next(r for r in ours if r["logger"] == "dayfacts.access")
    assert access["status"] == 404 and access["method"] == "GET" and access["bytes"] > 0
    assert access["path"].startswith("/no-such-page/<email ")
    assert any(r.get("request_id") == made for r in records)
    text = server.log()
    assert "reader@example.org" not in text
    assert "forged" not in text


def test_tracebacks_are_masked_too():
    try:
        raise ValueError('Key (email)=(r@example.org) already exists.')
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    PersonalDataFilter().filter(record)
    formatted = json_formatter().format(record)
    assert "r@example.org" not in formatted
    assert "already exists" in json.loads(formatted)["exc_info"]


@pytest.mark.parametrize("path", NEWSLETTER_PATHS)
def test_mask_hides_a_newsletter_links_token_whatever_its_shape(path):
    masked = mask(f"Not Found: {path}")
    assert KEY not in masked
    assert "/<token>/" in masked
    assert mask("/newsletter/check-your-inbox/") == "/newsletter/check-your-inbox/"


def written_by(logger_name, record):
    """What each handler a record reaches would write, as Logger.callHandlers passes it on."""
    written, logger = [], logging.getLogger(logger_name)
    while logger:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue  # pytest's own capture, not the site's configuration
            seen = copy.copy(record)
            if seen.levelno >= handler.level and handler.filter(seen):
                written.append(handler.format(seen))
        logger = logger.parent if logger.propagate else None
    return written


@pytest.mark.parametrize("logger_name, message", [
    ("django.server", '"GET %s HTTP/1.1" 404 179'),  # runserver's request lines
    ("django.request", "Not Found: %s"),
])
def test_djangos_own_lines_about_a_newsletter_link_are_masked(logger_name, message):
    path = NEWSLETTER_PATHS[0]
    record = logging.getLogger(logger_name).makeRecord(
        logger_name, logging.WARNING, __file__, 1, message, (path,), None)
    written = written_by(logger_name, record)
    assert written
    assert not [line for line in written if KEY in line]


def test_a_server_logs_no_newsletter_token_in_its_access_or_error_lines(tmp_path):
    env = site_env(tmp_path, LOG_FORMAT="json", ACCESS_LOG=1)
    server = Server(env).wait_until_up()
    try:
        for path in NEWSLETTER_PATHS:
            assert server.get(path)[0] in (404, 405)
    finally:
        server.stop()
    log = server.log()
    assert KEY not in log
    paths = [json.loads(line)["path"] for line in log.splitlines()
             if line.startswith("{") and json.loads(line)["logger"] == "dayfacts.access"]
    assert "/newsletter/unsubscribe/<token>/data/" in paths


NGINX_LOG_CONF = """\
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {prefix}/client;
    proxy_temp_path {prefix}/proxy;
    include {repo}/deploy/nginx/dayfacts-http.conf;
    server {{
        listen 127.0.0.1:{port};
        access_log {prefix}/access.log dayfacts;
        location / {{ return 404; }}
    }}
}}
"""


@pytest.mark.skipif(NGINX is None, reason="nginx is absent: apt-get install nginx")
def test_the_nginx_access_log_masks_newsletter_tokens(tmp_path):
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(NGINX_LOG_CONF.format(prefix=tmp_path, repo=REPO, port=port))
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e",
                              str(tmp_path / "error.log")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = Process([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e",
                     str(tmp_path / "error.log"), "-g", "daemon off;"], None, tmp_path / "out")
    nginx.url = f"http://127.0.0.1:{port}"
    with nginx:
        nginx.wait_until_up("/")
        for path in [*NEWSLETTER_PATHS, "/newsletter/check-your-inbox/", "/march/20/"]:
            assert get(nginx.url + path)[0] == 404
    logged = [line.split()[2] for line in (tmp_path / "access.log").read_text().splitlines()]
    assert KEY not in "\n".join(logged)
    assert "/newsletter/unsubscribe/<token>/data/" in logged
    assert "/newsletter/check-your-inbox/" in logged and "/march/20/" in logged
