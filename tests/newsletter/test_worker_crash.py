"""Kill a real worker process mid-send and start it again: every subscriber gets the
edition, and only the messages in flight at the kill (one per SMTP connection) may arrive
twice. Lock the database past its busy timeout, or cut the worker's connection: the worker
and the scheduler wait and carry on instead of exiting.

Everything runs as real processes (`dayfacts newsletter tick`, `dayfacts worker`) against a
real SMTP server started here, on a database those processes share: a SQLite file of this
test's own, or the PostgreSQL test database.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg
import psycopg.sql
import pytest
from django.db import connection

from dayfacts.newsletter.models import Subscriber
from dayfacts.newsletter.tasks import send_confirmation

from .conftest import dayfacts

SUBSCRIBERS = 60
CONNECTIONS = 3
SEED = f"""
import datetime as dt
from django.utils import timezone
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact
from dayfacts.newsletter.models import Subscriber
today = MonthDay.today()
Fact.objects.create(month=today.month, day=today.day, year=1900, title="A crash-proof fact",
                    featured=True, status="published",
                    publish_at=timezone.now() - dt.timedelta(days=1))
Subscriber.objects.bulk_create([
    Subscriber(email=f"reader{{n}}@example.org", delivery_hour=0, time_zone="UTC",
               status="active", key=f"key-{{n}}") for n in range({SUBSCRIBERS})])
"""
STATE = """
import json
from dayfacts.newsletter.models import Delivery
print(json.dumps({
    "total": Delivery.objects.count(),
    "by_status": dict(Counter(Delivery.objects.values_list("status", flat=True))),
    "sending": list(Delivery.objects.filter(status="sending")
                    .values_list("subscriber__email", flat=True)),
}))
"""


def state(env):
    output = dayfacts(env, "shell", "-c", "from collections import Counter\n" + STATE)
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_nothing_and_repeats_at_most_the_messages_in_flight(
        shared_db, smtp_server):
    # Batches small enough that every connection gets one, large enough that each is part
    # sent when the kill comes after 15 arrivals (batches of 5 could all end just then).
    env = dict(shared_db, EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
               NEWSLETTER_CONNECTIONS=str(CONNECTIONS), NEWSLETTER_BATCH_SIZE="10")
    dayfacts(env, "shell", "-c", SEED)

    # Two schedulers at once queue each subscriber once.
    ticks = [subprocess.Popen([sys.executable, "-m", "dayfacts", "newsletter", "tick"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    for process in ticks:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-3000:]

    # A slow server, so the kill lands mid-send.
    smtp_server.delay = 0.03
    worker = subprocess.Popen([sys.executable, "-m", "dayfacts", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while len(smtp_server.arrivals) < 15 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    time.sleep(0.2)  # let the server finish a message the kill cut short
    arrived_before = len(smtp_server.arrivals)
    assert 15 <= arrived_before < SUBSCRIBERS, "the kill did not land mid-send"
    in_flight = set(state(env)["sending"])
    assert in_flight, "the killed worker held no claimed messages"

    # Started again (after the claim timeout), the work is finished.
    time.sleep(1.1)
    assert "put back" in dayfacts(env, "newsletter", "tick")
    dayfacts(env, "worker", "--batch")

    received = Counter(a.rcpt_tos[0] for a in smtp_server.arrivals)
    assert set(received) == {f"reader{n}@example.org" for n in range(SUBSCRIBERS)}
    twice = {address for address, count in received.items() if count > 1}
    assert twice <= in_flight and len(twice) <= CONNECTIONS
    final = state(env)
    assert final["total"] == SUBSCRIBERS and final["by_status"] == {"sent": SUBSCRIBERS}
    # Each copy names its delivery, so a duplicate carries the same Message-ID.
    ids = Counter(a.message["Message-ID"] for a in smtp_server.arrivals)
    assert len(ids) == SUBSCRIBERS


# Holds SQLite's write lock, as an import does, until a line arrives on its stdin.
HOLD_WRITE_LOCK = """
import sqlite3, sys
database = sqlite3.connect(sys.argv[1], isolation_level=None)
database.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
database.execute("ROLLBACK")
"""
PENDING = """
from dayfacts.newsletter.models import Subscriber
from dayfacts.newsletter.tasks import send_confirmation
send_confirmation.enqueue(Subscriber.objects.create(email="waiting@example.org").pk)
"""


def start(env, log, *args):
    """Start a `dayfacts` command whose messages go to the file `log`."""
    return subprocess.Popen([sys.executable, "-m", "dayfacts", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("w"))


def wait_for(log, text, process, timeout=30):
    """Wait until `process` has written `text` to `log`; fail if it ends first."""
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert process.poll() is None, f"exited with {process.returncode}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"never said {text!r}:\n{log.read_text()}"
        time.sleep(0.1)


def hold_write_lock(env):
    """Take SQLite's write lock from another process; write a line to its stdin to let go."""
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, database],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    return holder


def release(holder):
    holder.communicate("go\n", timeout=10)


def confirmation_arrives(smtp_server, process, timeout=30):
    deadline = time.monotonic() + timeout
    while not smtp_server.to("waiting@example.org") and time.monotonic() < deadline:
        assert process.poll() is None, "the worker exited"
        time.sleep(0.1)
    [message] = smtp_server.to("waiting@example.org")
    return "/newsletter/confirm/" in message.get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_worker_waits_out_a_write_lock_held_past_the_busy_timeout(shared_db, smtp_server,
                                                                  tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    # A one-second busy timeout stands for the default 20 s, and the lock is held for
    # several of them, as a long import holds it past 20 s.
    env = dict(shared_db, EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
               SQLITE_BUSY_TIMEOUT="1")
    log = tmp_path / "worker.log"
    worker = start(env, log, "worker", "--interval", "0.2")
    try:
        wait_for(log, "Starting worker", worker)
        holder = hold_write_lock(env)
        try:
            wait_for(log, "database is locked", worker)
            time.sleep(3)
            assert worker.poll() is None, log.read_text()
        finally:
            release(holder)
        dayfacts(env, "shell", "-c", PENDING)
        assert confirmation_arrives(smtp_server, worker)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert "Worker: database unavailable (database is locked); trying again in 2 s" in (
        log.read_text())


@pytest.mark.django_db(transaction=True)
def test_scheduler_queues_the_edition_soon_after_a_write_lock_goes(shared_db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    env = dict(shared_db, SQLITE_BUSY_TIMEOUT="1", LOG_LEVEL="INFO")
    dayfacts(env, "shell", "-c", SEED)
    log = tmp_path / "scheduler.log"
    holder = hold_write_lock(env)
    # Ticking every minute: a scheduler that waited for its next tick would queue nothing
    # in the 20 s this test waits.
    scheduler = start(env, log, "newsletter", "tick", "--loop", "60")
    try:
        try:
            wait_for(log, "database is locked", scheduler)
        finally:
            release(holder)
        deadline = time.monotonic() + 20
        while state(env)["total"] < SUBSCRIBERS:
            assert scheduler.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    assert "Newsletter tick: database unavailable (database is locked); trying again" in (
        log.read_text())


@pytest.mark.django_db(transaction=True)
def test_worker_waits_out_a_lost_database_connection(shared_db, smtp_server, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL connections")
    env = dict(shared_db, EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    log = tmp_path / "worker.log"
    worker = start(env, log, "worker", "--interval", "0.2")
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [ours] = cursor.fetchone()
    # The database may only be closed to connections from another one.
    admin = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                            user=settings["USER"], password=settings["PASSWORD"] or None,
                            dbname="postgres", autocommit=True)
    name = psycopg.sql.Identifier(settings["NAME"])
    try:
        wait_for(log, "Starting worker", worker)
        # The database goes away, as in a restart or a failover: the worker's connection is
        # cut and no new one is let in until it comes back. This test's own connection stays.
        admin.execute(psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> %s", [settings["NAME"], ours])
            wait_for(log, "is not currently accepting connections", worker)
            time.sleep(2)
            assert worker.poll() is None, log.read_text()
            subscriber = Subscriber.objects.create(email="waiting@example.org")
            send_confirmation.enqueue(subscriber.pk)
        finally:
            admin.execute(psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true")
                          .format(name))
        assert confirmation_arrives(smtp_server, worker)
    finally:
        admin.close()
        worker.terminate()
        worker.wait(timeout=30)
    assert "Worker: database unavailable" in log.read_text()
