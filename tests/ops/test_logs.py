"""Logs: one JSON object a line with the request id, and no personal data."""

import json
import logging
import sys

from dayfacts.ops.logs import PersonalDataFilter, json_formatter, mask
from tests.servers import site_env

from .servers import Server


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
