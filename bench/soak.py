"""The site under load and faults: nothing a reader was told is saved may be lost (issue 9).

    .venv/bin/python bench/soak.py [--seconds 60] [--connections 64] [--scenario all]

Each scenario starts the site with gunicorn on a free loopback port over a fresh database in
a temporary folder, seeds a few published facts, and runs --connections clients for --seconds:
mostly reads (day pages, fact pages, the API, uncached query strings), and comment and
newsletter sign-up posts through the real forms (CSRF token and all). A comment counts as
acknowledged when the site answered its post with the redirect to it.

  sqlite    mixed load on SQLite: no 5xx, and every acknowledged comment is in the database.
  kill      SQLite again; halfway through, the server's whole process group gets SIGKILL and
            is started again: nothing acknowledged is lost, PRAGMA integrity_check is ok.
  postgres  a PostgreSQL of its own (initdb into a temporary folder, its own port, Debian's
            binaries, as the postgres user when run as root) is stopped for the middle third
            and started again: meanwhile pages answer 503 "Back soon", never a traceback or a
            500, and the site recovers by itself.

Flood control, rate limits and the time-to-fill check are switched off through their
settings, since every client posts from 127.0.0.1. Prints a table per scenario and exits 1
when a scenario's promise is broken. tests/resilience runs the same scenarios, smaller.
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
FACTS = 24
BACK_SOON = b"Back soon"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed():
    """Run inside the site's environment: migrate and add published facts to read and discuss."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from dayfacts.facts.models import Fact, Kind, Status

    call_command("migrate", verbosity=0, skip_checks=True)
    when = timezone.now() - timedelta(days=1)
    Fact.objects.bulk_create([
        Fact(month=1 + n % 12, day=1 + n % 28, year=1800 + n, kind=Kind.EVENT,
             title=f"Soak fact {n}", slug=f"soak-fact-{n}", summary="A plain sentence.",
             body="An article of some length. " * 30, featured=n % 3 == 0, notability=n,
             status=Status.PUBLISHED, publish_at=when)
        for n in range(FACTS)
    ])


# The server ----------------------------------------------------------------------------


class Site:
    """The site under gunicorn in a process group of its own, so a kill takes it all."""

    def __init__(self, folder, database_url):
        self.folder = Path(folder)
        self.port = free_port()
        self.process = None
        self.env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="dayfacts.settings", DAYFACTS_VAR_DIR=str(folder),
            DATABASE_URL=database_url, LOG_LEVEL="ERROR", EMAIL_URL=f"file://{folder}/outbox",
            COMMENTS_FLOOD_SECONDS="0", COMMENTS_MIN_FILL_SECONDS="0",
            COMMENTS_RATE_LIMIT="100000000/m", NEWSLETTER_SIGNUP_RATE="100000000/m",
            DAYFACTS_API_RATE_LIMIT="100000000/m", CONN_MAX_AGE="60",
        )
        for name in ("REDIS_URL", "DAYFACTS_ENV", "DEBUG", "DAYFACTS_TEST_DB_NAME"):
            self.env.pop(name, None)

    def seed(self):
        subprocess.run([sys.executable, __file__, "--seed"], env=self.env, cwd=ROOT, check=True)

    def start(self, timeout=40):
        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
             "-c", "python:dayfacts.ops.gunicorn_conf", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--threads", "4", "--timeout", "60", "--access-logfile", "/dev/null",
             "--backlog", "256"],
            env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if fetch(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the site did not start:\n" + self.log_tail())

    def kill(self):
        """SIGKILL the server and its workers at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, size=3000):
        """The first server error's traceback, if any, then the end of the server's log."""
        path = self.folder / "server.log"
        if not path.exists():
            return ""
        text = path.read_text(errors="replace")
        lines = [line for line in text.splitlines() if "gunicorn.access" not in line]
        first = next((n for n, line in enumerate(lines) if "Traceback" in line), None)
        error = ""
        if first is not None:
            error = "\n".join(lines[max(0, first - 2):first + 60]) + "\n...\n"
        return error + "\n".join(lines)[-size:]


class Postgres:
    """A PostgreSQL server of our own: its own folder, port and socket, touching no other."""

    def __init__(self, folder):
        self.folder = Path(folder) / "pg"
        self.port = free_port()
        # initdb refuses to run as root; the Debian package's postgres user owns the folder.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *argv, check=True):
        return subprocess.run([*self.as_user, *argv], check=check, capture_output=True,
                              text=True, timeout=120)

    def init(self):
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"no PostgreSQL binaries at {PG_BIN}")
        self.folder.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.folder, "postgres", "postgres")
            os.chmod(self.folder.parent, 0o755)
        self.run(str(PG_BIN / "initdb"), "-D", str(self.folder / "data"), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self):
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder} -c max_connections=100")
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-o", options,
                 "-l", str(self.folder / "log"), "-w", "start")

    def stop(self, mode="fast"):
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", mode, "-w",
                 "stop", check=False)


# The clients ---------------------------------------------------------------------------


def fetch(port, method, path, body=None, headers=None, connection=None, timeout=30):
    """One request; returns (status, body, headers) and closes a connection it opened."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        if own:
            connection.close()


@dataclass
class Tally:
    """What the clients saw, by phase ('before', 'during', 'after' a fault)."""

    statuses: Counter = field(default_factory=Counter)
    by_phase: dict = field(default_factory=dict)
    acknowledged: list = field(default_factory=list)
    signups: list = field(default_factory=list)
    unreachable: int = 0
    tracebacks: int = 0
    unclear_503: int = 0
    recovered_at: float | None = None
    # The first answer of each unexpected kind, to show what went wrong.
    samples: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, phase, status, body, kind, path=""):
        with self.lock:
            if status >= 500 and (status != 503 or BACK_SOON not in body):
                self.samples.setdefault(status, (path, body[:1500]))
            self.statuses[(kind, status)] += 1
            self.by_phase.setdefault(phase, Counter())[status] += 1
            if b"Traceback" in body:
                self.tracebacks += 1
            if status == 503 and kind == "read" and BACK_SOON not in body:
                self.unclear_503 += 1

    @property
    def server_errors(self):
        return sum(n for (_, status), n in self.statuses.items() if status >= 500)


class Client(threading.Thread):
    """One reader/writer on a kept-alive connection, opening a new one after any failure."""

    def __init__(self, number, port, stop, tally, phase):
        super().__init__(daemon=True)
        self.number, self.port, self.stop, self.tally, self.phase = number, port, stop, tally, phase
        self.random = random.Random(number)
        self.connection = None
        self.sequence = 0

    def request(self, method, path, body=None, kind="read"):
        headers = {}
        if body is not None:
            # What a browser sends with a form from the site's own page.
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            status, content, response_headers = fetch(self.port, method, path, body, headers,
                                                      self.connection)
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            with self.tally.lock:
                self.tally.unreachable += 1
            time.sleep(0.05)
            return None, b"", {}
        self.tally.record(self.phase(), status, content, kind, f"{method} {path}")
        if response_headers.get("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return status, content, response_headers

    def read(self):
        fact = self.random.randrange(FACTS)
        path = self.random.choice([
            "/", f"/facts/soak-fact-{fact}/",
            f"/{['january', 'march', 'june'][fact % 3]}/{1 + fact}/",
            f"/api/v1/days/{1 + fact % 12:02d}/{1 + fact % 28:02d}", "/topics/",
            # A search, which the page cache never stores: the database must answer.
            f"/search/?q=soak+{self.random.randrange(FACTS)}",
        ])
        self.request("GET", path)

    def comment(self):
        fact = self.random.randrange(FACTS)
        status, _, _ = self.request("GET", f"/facts/soak-fact-{fact}/")
        if status != 200:
            return
        self.sequence += 1
        text = f"Soak comment {self.number}-{self.sequence} {self.random.random():.12f}"
        body = urlencode({"name": f"Client {self.number}",
                          "email": f"client{self.number}@soak.example", "text": text,
                          "consent": "on", "parent": "", "url": ""})
        status, _, headers = self.request("POST", f"/comments/post/soak-fact-{fact}/", body,
                                          kind="comment")
        if status == 302:
            with self.tally.lock:
                self.tally.acknowledged.append(text)

    def sign_up(self):
        status, _, _ = self.request("GET", "/newsletter/")
        if status != 200:
            return
        self.sequence += 1
        email = f"reader{self.number}x{self.sequence}@soak.example"
        body = urlencode({"email": email,
                          "frequency": "daily", "delivery_hour": "", "time_zone": ""})
        status, _, _ = self.request("POST", "/newsletter/", body, kind="sign-up")
        if status == 302:
            with self.tally.lock:
                self.tally.signups.append(email)

    def run(self):
        while not self.stop.is_set():
            roll = self.random.random()
            if roll < 0.10:
                self.comment()
            elif roll < 0.15:
                self.sign_up()
            else:
                self.read()
        if self.connection:
            self.connection.close()


def run_load(port, seconds, connections, during=None):
    """Run the clients for `seconds`; `during(tally, phase_setter)` injects a fault meanwhile."""
    tally, stop = Tally(), threading.Event()
    phase = {"now": "before"}
    clients = [Client(n, port, stop, tally, lambda: phase["now"]) for n in range(connections)]
    for client in clients:
        client.start()
    started = time.monotonic()
    if during:
        during(tally, lambda name: phase.__setitem__("now", name), started + seconds)
    remaining = started + seconds - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for client in clients:
        client.join(timeout=40)
    return tally


# The promises ----------------------------------------------------------------------------


def comments_in_sqlite(path):
    with sqlite3.connect(path) as db:
        texts = {row[0] for row in db.execute("SELECT text FROM comments_comment")}
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    return texts, integrity


def comments_in_postgres(url):
    import psycopg

    with psycopg.connect(url) as db:
        return {row[0] for row in db.execute("SELECT text FROM comments_comment")}


def sqlite_scenario(seconds, connections, kill=False):
    """Mixed load on SQLite; with `kill`, SIGKILL the server halfway and start it again."""
    with tempfile.TemporaryDirectory(prefix="dayfacts-soak-") as folder:
        database = Path(folder) / "soak.sqlite3"
        site = Site(folder, f"sqlite:///{database}")
        site.seed()
        site.start()
        restart_seconds = None

        def crash(tally, set_phase, end):
            nonlocal restart_seconds
            time.sleep(max(0.5, (end - time.monotonic()) / 2))
            set_phase("during")
            site.kill()
            down = time.monotonic()
            site.start()
            restart_seconds = time.monotonic() - down
            set_phase("after")

        try:
            tally = run_load(site.port, seconds, connections, crash if kill else None)
        finally:
            site.stop()
        stored, integrity = comments_in_sqlite(database)
        lost = [text for text in tally.acknowledged if text not in stored]
        result = summarize("kill" if kill else "sqlite", tally, seconds, lost)
        result["integrity_check"] = integrity
        result["restart_s"] = restart_seconds
        # A killed server drops connections (counted as unreachable); it never answers 5xx.
        result["ok"] = result["ok"] and integrity == "ok" and tally.server_errors == 0
        if not result["ok"]:
            result["server_log"] = site.log_tail()
        return result


def postgres_scenario(seconds, connections):
    """Stop this scenario's own PostgreSQL for the middle third of the load, then start it."""
    with tempfile.TemporaryDirectory(prefix="dayfacts-soak-pg-") as folder:
        postgres = Postgres(folder).init()
        postgres.start()
        site = Site(folder, postgres.url)
        outage = {}
        try:
            site.seed()
            site.start()

            def outage_then_recovery(tally, set_phase, end):
                third = (end - time.monotonic()) / 3
                time.sleep(third)
                set_phase("during")
                postgres.stop("fast")
                outage["stopped"] = time.monotonic()
                time.sleep(third)
                postgres.start()
                outage["started"] = time.monotonic()
                set_phase("after")
                # Recovered: an uncached page the database must answer comes back 200.
                while time.monotonic() < end:
                    try:
                        status = fetch(site.port, "GET", f"/facts/soak-fact-1/?r={time.time()}",
                                       timeout=10)[0]
                    except OSError:
                        status = None
                    if status == 200:
                        tally.recovered_at = time.monotonic() - outage["started"]
                        return
                    time.sleep(0.2)

            tally = run_load(site.port, seconds, connections, outage_then_recovery)
            stored = comments_in_postgres(postgres.url)
        finally:
            site.stop()
            postgres.stop("immediate")
        lost = [text for text in tally.acknowledged if text not in stored]
        result = summarize("postgres", tally, seconds, lost)
        during = tally.by_phase.get("during", Counter())
        result["during_outage"] = dict(sorted(during.items()))
        result["recovered_s"] = tally.recovered_at
        result["ok"] = (not lost and tally.tracebacks == 0 and tally.unclear_503 == 0
                        and during.get(503, 0) > 0
                        and not any(status >= 500 and status != 503
                                    for phase in tally.by_phase.values() for status in phase)
                        and tally.recovered_at is not None)
        if not result["ok"]:
            result["server_log"] = site.log_tail()
        return result


def summarize(name, tally, seconds, lost):
    total = sum(tally.statuses.values())
    statuses = Counter()
    for (_, status), count in tally.statuses.items():
        statuses[status] += count
    return {
        "scenario": name, "requests": total, "per_s": round(total / seconds, 1),
        "5xx": tally.server_errors,
        # 503 is the "Back soon" page of a database outage; anything else 5xx is a failure.
        "5xx not 503": sum(n for status, n in statuses.items() if status >= 500 and status != 503),
        "acknowledged": len(tally.acknowledged),
        "sign-ups": len(tally.signups), "lost": len(lost), "unreachable": tally.unreachable,
        "tracebacks": tally.tracebacks, "samples": tally.samples,
        "statuses": dict(sorted(statuses.items())),
        "ok": not lost and tally.tracebacks == 0,
    }


def print_table(results):
    columns = ["scenario", "requests", "per_s", "5xx", "5xx not 503", "acknowledged", "lost",
               "sign-ups", "unreachable", "ok"]
    widths = [max(len(c), *(len(str(r.get(c))) for r in results)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for result in results:
        print("  ".join(str(result.get(c)).ljust(w) for c, w in zip(columns, widths, strict=True)))
    print()
    for result in results:
        extra = {k: v for k, v in result.items() if k not in columns and k != "server_log"}
        print(f"{result['scenario']}: {extra}")
        if not result["ok"] and result.get("server_log"):
            print(result["server_log"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of each scenario")
    parser.add_argument("--connections", type=int, default=64, help="concurrent clients")
    parser.add_argument("--scenario", choices=["all", "sqlite", "kill", "postgres"],
                        default="all")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed()
    if args.seconds > 600 or args.connections > 256:
        parser.error("keep it bounded: at most 600 seconds and 256 connections")
    results = []
    if args.scenario in ("all", "sqlite"):
        results.append(sqlite_scenario(args.seconds, args.connections))
    if args.scenario in ("all", "kill"):
        results.append(sqlite_scenario(args.seconds, args.connections, kill=True))
    if args.scenario in ("all", "postgres"):
        results.append(postgres_scenario(args.seconds, args.connections))
    print_table(results)
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
