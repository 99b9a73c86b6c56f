"""Kill a real worker process mid-send and start it again: every subscriber gets the
edition, and only the messages in flight at the kill (one per SMTP connection) may arrive
twice.

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

import pytest

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
