"""An editor imports the whole Wikipedia set while readers use the site (issue 17).

The site runs under `dayfacts serve` (web server, task worker and scheduler) on a SQLite file
of the test's own, as `make run` leaves it; the import runs beside it as another process. A
reader meanwhile reads a day page, signs up for the newsletter or comments, one request every
100 ms, as a browser would. The reader never gets a server error, nothing the site said it
saved is missing afterwards, no write waits long for the database, and the task worker still
sends a confirmation email once the import is over.
"""

import calendar
import datetime as dt
import http.client
import logging
import math
import re
import signal
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from tests.ops.servers import run
from tests.servers import DAYFACTS, free_port, site_env

# A write may wait this long for the database, and 99 in 100 writes at most the second.
LONGEST_WRITE = 2.0
P99_WRITE = 1.0
PACE = 0.1  # seconds between the reader's requests

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Answer:
    kind: str  # "read", "sign-up" or "comment"
    status: int | None  # None: no answer at all (refused connection, timeout)
    at: float  # time.monotonic() when it was sent
    seconds: float
    key: str  # the page read, the address signed up, or the comment's text


def request(port, method, path, fields=None):
    """Send one request as a browser on the site's own page would; return (status, headers)."""
    headers, body = {}, None
    if fields is not None:
        body = urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Sec-Fetch-Site": "same-origin"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def day_paths():
    """Every day page of the year, Feb 29 included, as /march/20/."""
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        yield f"/{calendar.month_name[day.month].lower()}/{day.day}/"
        day += dt.timedelta(days=1)


class Reader(threading.Thread):
    """Read a day page, sign up, comment, in turn, a request every PACE seconds, until told
    to stop; keep every answer with how long it took."""

    def __init__(self, port, slugs):
        super().__init__(daemon=True)
        self.port, self.slugs = port, slugs
        self.days = list(day_paths())
        self.answers = []
        self.stopping = threading.Event()

    def run(self):
        n = 0
        while not self.stopping.is_set():
            action = (self.read, self.sign_up, self.comment)[n % 3]
            action(n)
            n += 1
            time.sleep(PACE)

    def send(self, kind, key, method, path, fields=None):
        started = time.monotonic()
        try:
            status = request(self.port, method, path, fields)[0]
        except (OSError, http.client.HTTPException):
            status = None
        self.answers.append(Answer(kind, status, started, time.monotonic() - started, key))

    def read(self, n):
        path = self.days[n * 7 % len(self.days)]
        self.send("read", path, "GET", path)

    def sign_up(self, n):
        email = f"reader-{n}@traffic.example"
        self.send("sign-up", email, "POST", "/newsletter/",
                  {"email": email, "frequency": "daily", "delivery_hour": "", "time_zone": ""})

    def comment(self, n):
        slug = self.slugs[n % len(self.slugs)]
        text = f"Comment {n} from a reader, posted while an import runs."
        self.send("comment", text, "POST", f"/comments/post/{slug}/",
                  {"name": "A reader", "email": "reader@traffic.example", "url": "",
                   "text": text, "consent": "on", "parent": ""})


def p99(values):
    """The 99th percentile, by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def created_by(report):
    """The facts an import report says were created: its total row's first number."""
    match = re.search(r"total\s*│\s*(\d+)\s*│", report)
    assert match, report
    return int(match.group(1))


def query(database, sql, *params):
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchall()


@pytest.fixture
def site(tmp_path, smtp_server):
    """A migrated site with the starter almanac, sending its mail to `smtp_server`. Flood control
    and rate limits are off: the one reader posts every few hundred milliseconds."""
    env = site_env(tmp_path, LOG_LEVEL="WARNING", EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
                   COMMENTS_FLOOD_SECONDS=0, COMMENTS_MIN_FILL_SECONDS=0,
                   COMMENTS_RATE_LIMIT="100000/m", NEWSLETTER_SIGNUP_RATE="100000/m")
    for argv in (["migrate", "--noinput", "-v0"], ["load_almanac", "-v0"]):
        result = run(argv, env)
        assert result.returncode == 0, result.stderr
    return env


@pytest.mark.slow
def test_the_site_keeps_serving_and_saving_while_the_full_set_imports(
        shared_data, site, smtp_server, tmp_path):
    folder = shared_data / "wikipedia-onthisday"
    if not folder.is_dir():
        pytest.skip(f"the Wikipedia set is not at {folder}")
    database = tmp_path / "dayfacts.sqlite3"
    slugs = [row[0] for row in query(
        database, "SELECT slug FROM facts_fact WHERE status = 'published' ORDER BY id LIMIT 5")]
    facts_before = query(database, "SELECT count(*) FROM facts_fact")[0][0]

    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [*DAYFACTS, "serve", "--port", str(port), "--workers", "2"], env=site,
        cwd=site["DAYFACTS_VAR_DIR"], stdout=log.open("w"), stderr=subprocess.STDOUT)
    reader = Reader(port, slugs)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)

        reader.start()
        started = time.monotonic()
        importing = subprocess.run(
            [*DAYFACTS, "import", "muffinlabs", str(folder), "--no-progress"], env=site,
            cwd=site["DAYFACTS_VAR_DIR"], capture_output=True, text=True, timeout=300)
        import_seconds = time.monotonic() - started
        reader.stopping.set()
        reader.join(timeout=60)
        assert server.poll() is None, "serve stopped during the import:\n" + log.read_text()

        # Once the import is over, the worker still sends a new reader's confirmation.
        last = "after-the-import@traffic.example"
        status = request(port, "POST", "/newsletter/", {"email": last, "frequency": "daily"})[0]
        assert status == 302, status
        deadline = time.monotonic() + 60
        while not smtp_server.to(last) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        reader.stopping.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    answers = reader.answers
    writes = [a for a in answers if a.kind != "read"]
    latencies = [a.seconds for a in writes]
    slowest = sorted(writes, key=lambda a: -a.seconds)[:5]
    summary = (
        f"import {import_seconds:.1f} s; {len(answers) - len(writes)} reads, {len(writes)} "
        f"writes; write latency max {max(latencies, default=0):.2f} s, "
        f"p99 {p99(latencies) if latencies else 0:.2f} s; answers "
        f"{sorted({(a.kind, a.status) for a in answers}, key=str)}; slowest writes "
        + ", ".join(f"{a.kind} {a.seconds:.2f} s at {a.at - started:.0f} s" for a in slowest)
    )
    print(summary)
    assert importing.returncode == 0, importing.stderr[-3000:]
    report = importing.stdout
    facts_after = query(database, "SELECT count(*) FROM facts_fact")[0][0]
    assert created_by(report) == facts_after - facts_before > 130_000, report

    # The reader went on through the whole import, and every request had its answer.
    assert len(writes) >= 20, summary
    unanswered = [a for a in answers if a.status is None]
    server_errors = [a for a in answers if a.status is not None and a.status >= 500]
    assert not unanswered and not server_errors, f"{summary}\n{log.read_text()[-3000:]}"
    assert {a.status for a in answers if a.kind == "read"} == {200}, summary
    assert {a.status for a in writes} == {302}, summary

    # What the site acknowledged is in the database.
    subscribed = {row[0] for row in query(database, "SELECT email FROM newsletter_subscriber")}
    commented = {row[0] for row in query(database, "SELECT text FROM comments_comment")}
    lost = [a for a in writes
            if a.key not in (subscribed if a.kind == "sign-up" else commented)]
    assert not lost, summary

    assert max(latencies) <= LONGEST_WRITE and p99(latencies) <= P99_WRITE, summary
    assert smtp_server.to(last), f"no confirmation email for {last}\n{log.read_text()}"
