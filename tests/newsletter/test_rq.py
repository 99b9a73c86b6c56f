"""The RQ backend: the scheduler queues send tasks in a real Redis, `dayfacts worker` runs
them with an RQ worker, and the edition reaches everyone through a real SMTP server."""

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from .conftest import dayfacts

REDIS_URL = "redis://127.0.0.1:6379/12"
SEED = """
import datetime as dt
from django.utils import timezone
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact
from dayfacts.newsletter.models import Subscriber
today = MonthDay.today()
Fact.objects.create(month=today.month, day=today.day, year=1900, title="Sent through Redis",
                    featured=True, status="published",
                    publish_at=timezone.now() - dt.timedelta(days=1))
for n in range(5):
    Subscriber.objects.create(email=f"reader{n}@example.org", delivery_hour=0,
                              time_zone="UTC", status="active")
"""


@pytest.fixture
def redis_db():
    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisConnectionError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    redis.flushdb()
    yield redis
    redis.flushdb()


@pytest.mark.django_db(transaction=True)
def test_rq_worker_sends_the_edition(shared_db, smtp_server, redis_db):
    env = dict(shared_db, EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
               REDIS_URL=REDIS_URL, TASKS_USE_REDIS="1")
    dayfacts(env, "shell", "-c", SEED)
    assert "1 send task(s) queued" in dayfacts(env, "newsletter", "tick")
    assert redis_db.llen("rq:queue:default") == 1
    dayfacts(env, "worker", "--batch")
    assert sorted(a.rcpt_tos[0] for a in smtp_server.arrivals) == [
        f"reader{n}@example.org" for n in range(5)]
    assert smtp_server.arrivals[0].message["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click")
