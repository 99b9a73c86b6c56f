"""The scheduler: create the editions that are due and queue a delivery per subscriber.

`tick()` may run on several machines at once, or twice on one: editions are unique per
(frequency, date) and deliveries per (edition, subscriber), and inserts that lose a race
are skipped, so every subscriber gets one delivery however many ticks ran.
"""

import math
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from .editions import edition_for
from .models import Delivery, DeliveryStatus, Frequency, Subscriber
from .sending import requeue_abandoned
from .tasks import send_deliveries


@dataclass
class TickReport:
    editions: int = 0
    queued: int = 0
    requeued: int = 0
    due: int = 0
    tasks: int = 0

    def __str__(self):
        return (f"{self.editions} edition(s) due, {self.queued} delivery(ies) queued, "
                f"{self.requeued} put back, {self.due} due, {self.tasks} send task(s) queued")


def frequencies_on(date):
    """Which editions go out on a local date: daily always, weekly on its weekday."""
    if date.weekday() == settings.NEWSLETTER_WEEKLY_DAY:
        return [Frequency.DAILY, Frequency.WEEKLY]
    return [Frequency.DAILY]


def queue_deliveries(edition, subscribers, now):
    """Create a delivery of `edition` for each of `subscribers` that has none; return the count."""
    missing = subscribers.filter(
        ~Exists(Delivery.objects.filter(edition=edition, subscriber=OuterRef("pk")))
    ).order_by().annotate(candidate=F("pk")).values("candidate")
    select, params = missing.query.sql_with_params()
    connection = connections[Delivery.objects.db]
    quote = connection.ops.quote_name
    fields = Delivery._meta
    columns = ", ".join(quote(fields.get_field(name).column) for name in (
        "edition", "subscriber", "status", "attempts", "next_attempt_at", "claimed_by",
        "last_error"))
    # One INSERT ... SELECT: at a million subscribers no row passes through Python, and a
    # second scheduler's rows are skipped by the unique constraint. ("WHERE 1 = 1" lets
    # SQLite tell the ON CONFLICT clause from a join's ON.)
    sql = (f"INSERT INTO {quote(fields.db_table)} ({columns}) "
           "SELECT %s, candidates.candidate, %s, 0, %s, '', '' "
           f"FROM ({select}) candidates WHERE 1 = 1 ON CONFLICT DO NOTHING")
    when = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, [edition.pk, DeliveryStatus.QUEUED.value, when, *params])
        return max(cursor.rowcount, 0)


def waiting_senders():
    """Send tasks queued and not started yet, where the task backend can tell."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(send_deliveries.get_backend(), DatabaseBackend):
        return 0
    return DBTaskResult.objects.ready().filter(task_path=send_deliveries.module_path).count()


def tick(now=None, enqueue=True):
    """Queue what is due at `now` in each subscriber's time zone, and start senders."""
    now = now or timezone.now()
    report = TickReport()
    for name in list(Subscriber.objects.time_zones()):
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        for frequency in frequencies_on(local.date()):
            subscribers = Subscriber.objects.due(name, local.hour).filter(frequency=frequency)
            if not subscribers.exists():
                continue
            edition = edition_for(frequency, local.date())
            if edition is None:
                continue
            report.editions += 1
            report.queued += queue_deliveries(edition, subscribers, now)
    report.requeued = requeue_abandoned(now)
    report.due = Delivery.objects.due(now).count()
    if enqueue and report.due:
        wanted = min(math.ceil(report.due / settings.NEWSLETTER_BATCH_SIZE),
                     settings.NEWSLETTER_SEND_TASKS)
        report.tasks = max(wanted - waiting_senders(), 0)
        for _ in range(report.tasks):
            send_deliveries.enqueue()
    return report
