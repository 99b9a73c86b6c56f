"""`dayfacts import wikipedia --days ...` against a local server that plays Wikipedia."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact
from dayfacts.interchange.formats.wikipedia import parse_days, retry_after

pytestmark = pytest.mark.django_db


def feed(day):
    return {
        "selected": [{"text": f"A selected event on {day}.", "year": 1952, "pages": []}],
        "events": [{"text": f"An event on {day}.", "year": 1066, "pages": []}],
        "births": [{"text": f"Someone born on {day}, writer", "year": 1900, "pages": []}],
        "deaths": [{"text": f"Someone died on {day}, singer", "year": -30, "pages": []}],
        "holidays": [{"text": f"A holiday on {day}", "pages": []}],
    }


class Wikipedia:
    """A local stand-in for the feed: scripted answers per day, every request recorded."""

    def __init__(self, script):
        self.script = {day: list(answers) for day, answers in script.items()}
        self.requests = []
        wiki = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                wiki.requests.append((time.monotonic(), self.path, dict(self.headers)))
                parts = self.path.strip("/").split("/")
                day = f"{parts[-2]}-{parts[-1]}"
                answers = wiki.script.get(day) or [200]
                status = answers.pop(0) if len(answers) > 1 else answers[0]
                if isinstance(status, tuple):
                    status, headers = status
                else:
                    headers = {}
                body = json.dumps(feed(day) if status == 200 else {"error": status}).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        path = "{lang}/api/rest_v1/feed/onthisday/all/{month:02d}/{day:02d}"
        return f"http://{host}:{port}/{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_fetches_days_with_pacing_and_retries(run_import):
    script = {"03-20": [(429, {"Retry-After": "1"}), 200], "03-21": [503, 200], "03-22": [200]}
    with Wikipedia(script) as wiki:
        report = run_import("wikipedia", "--lang", "fr", "--days", "03-20..03-22",
                            "--pause", "0.3", "--api-url", wiki.url)
    paths = [path for _, path, _ in wiki.requests]
    assert paths == [f"/fr/api/rest_v1/feed/onthisday/all/03/{d}" for d in (20, 20, 21, 21, 22)]
    # Times are taken where the server receives each request, so each gap may come out a
    # little shorter than the client's wait: allow 50 ms for that.
    times = [t for t, _, _ in wiki.requests]
    assert times[1] - times[0] >= 1.0 - 0.05  # Retry-After honoured
    assert times[3] - times[2] >= 2.0 - 0.05  # backoff after a 5xx without Retry-After
    assert times[4] - times[3] >= 0.3 - 0.05  # paced
    agent = wiki.requests[0][2]["User-Agent"]
    assert agent.startswith("dayfacts/") and "http://" in agent
    for day in (20, 21, 22):
        on_day = Fact.objects.on(MonthDay(3, day))
        assert on_day.count() == 5
        assert on_day.get(kind="holiday").year is None
        assert on_day.get(kind="death").year == -30
    fact = Fact.objects.get(title="An event on 03-20.")
    assert fact.source_url == "https://fr.wikipedia.org/wiki/March_20"
    assert fact.licence == "CC BY-SA 4.0"
    assert Fact.objects.get(title="A selected event on 03-21.").notability == 10
    assert "created" in report


def test_gives_up_after_the_retries_and_writes_nothing(run_import, database_state):
    before = database_state()
    with Wikipedia({"01-01": [200], "01-02": [500]}) as wiki:
        with pytest.raises(CommandError, match=r"/01/02: HTTP 500 after 2 attempts"):
            run_import("wikipedia", "--days", "01-01,01-02", "--retries", "2", "--pause", "0",
                       "--api-url", wiki.url)
    assert database_state() == before
    assert len(wiki.requests) == 3


def test_a_missing_day_is_not_retried(run_import):
    with Wikipedia({"01-01": [404]}) as wiki:
        with pytest.raises(CommandError, match=r"HTTP 404 after 1 attempt\b"):
            run_import("wikipedia", "--days", "01-01", "--api-url", wiki.url)
    assert len(wiki.requests) == 1


def test_day_lists():
    assert parse_days("12-31..01-02") == [MonthDay(12, 31), MonthDay(1, 1), MonthDay(1, 2)]
    assert parse_days("march/20, 02-29") == [MonthDay(3, 20), MonthDay(2, 29)]
    assert len(parse_days("all")) == 366
    with pytest.raises(Exception, match="February has no day 30"):
        parse_days("02-30")


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("7", 2) == 7
    assert retry_after(None, 4) == 4
    assert retry_after("9999", 2) == 300
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 3) == 0
    assert retry_after("soon", 5) == 5
