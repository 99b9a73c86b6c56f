"""What /metrics reports: request counts and latencies, and the site's state read at scrape time.

Request metrics are counted in each web process. Under gunicorn `dayfacts serve` sets
PROMETHEUS_MULTIPROC_DIR, so every worker writes its counts to files there and a scrape,
served by any one worker, adds them up. The gauges (queue depth, deliveries, held comments,
imports and editions in progress) are read from the database and the queue when scraped, so
they agree across servers.
"""

import functools
import logging
import os

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "dayfacts_http_requests",
    "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "dayfacts_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by route name.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def route_of(request):
    """Name the route a request matched: its URL name, "static", or "unmatched"."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    # Any path that matched no route shares one label, so scanners cannot grow the series.
    return "unmatched"


def observe_request(request, response, seconds):
    """Count one answered request and record how long it took."""
    observe(route_of(request), request.method, response.status_code, seconds)


def observe(route, method, status, seconds):
    """Count one answer of `route` (a URL name) and record how long it took."""
    method = method if method in METHODS else "other"
    counter, timer = _series(route, method, status)
    counter.inc()
    timer.observe(seconds)


@functools.lru_cache(maxsize=1024)
def _series(route, method, status):
    # Finding a labelled series takes a lock and a lookup; a request needs two. Routes,
    # methods and statuses are few, so the pairs are kept.
    return REQUESTS.labels(route, method, str(status)), LATENCY.labels(route, method)


def queue_depth():
    """Return {queue name: tasks waiting} for the default task backend."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_rq"):
        import django_rq

        return {name: django_rq.get_queue(name).count for name in sorted(backend.queues)}
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = (DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by()
               .values_list("queue_name").annotate(n=Count("id")))
    depth = {name: 0 for name in backend.queues}
    depth.update(dict(waiting))
    return depth


def delivery_counts():
    """Return {status: n} over the newsletter's deliveries (sent, failed, ...), or None
    before the newsletter has them."""
    try:
        delivery = apps.get_model("newsletter", "Delivery")
    except LookupError:
        return None
    # Every status appears, at 0 when no delivery has it, so a graph starts from zero.
    counts = {value: 0 for value, _ in delivery._meta.get_field("status").choices}
    counts.update(delivery.objects.order_by().values_list("status").annotate(n=Count("id")))
    return counts


def comments_held():
    """Return how many comments wait for a moderator, or None before comments exist."""
    try:
        comment = apps.get_model("comments", "Comment")
    except LookupError:
        return None
    return comment.objects.in_moderation().count()


def live_imports():
    """Return the import runs not yet ended, or None before interchange has them."""
    try:
        run = apps.get_model("interchange", "ImportRun")
    except LookupError:
        return None
    return list(run.objects.live().order_by("pk"))


def editions_in_progress():
    """Return the newsletter editions still being sent, with their counts, or None before
    the newsletter has them."""
    try:
        edition = apps.get_model("newsletter", "Edition")
    except LookupError:
        return None
    return list(edition.objects.in_progress().with_progress().order_by("pk"))


class SiteCollector:
    """Gauges computed from the database and the queue each time /metrics is scraped."""

    def collect(self):
        depth = _guarded("task queue depth", queue_depth)
        if depth is not None:
            gauge = GaugeMetricFamily(
                "dayfacts_task_queue_depth", "Tasks waiting in each queue.", labels=["queue"]
            )
            for name, count in depth.items():
                gauge.add_metric([name], count)
            yield gauge
        deliveries = _guarded("deliveries", delivery_counts)
        if deliveries is not None:
            gauge = GaugeMetricFamily(
                "dayfacts_newsletter_deliveries",
                "Newsletter deliveries (one edition to one subscriber) by status: sent, failed...",
                labels=["status"],
            )
            for status, count in deliveries.items():
                gauge.add_metric([status], count)
            yield gauge
        held = _guarded("held comments", comments_held)
        if held is not None:
            yield GaugeMetricFamily(
                "dayfacts_comments_held", "Comments held for moderation.", value=held
            )
        runs = _guarded("import runs", live_imports)
        if runs is not None:
            yield from import_gauges(runs)
        editions = _guarded("editions in progress", editions_in_progress)
        if editions is not None:
            yield from edition_gauges(editions)


def import_gauges(runs):
    """Gauges for the imports running now: one series per live run, so the set stays small."""
    yield GaugeMetricFamily(
        "dayfacts_import_running", "Import runs not yet finished or failed.", value=len(runs)
    )
    labels = ["run", "source"]
    gauges = {
        "progress_ratio": GaugeMetricFamily(
            "dayfacts_import_progress_ratio",
            "How far each running import has come: inputs read, of all its inputs.", labels=labels),
        "records": GaugeMetricFamily(
            "dayfacts_import_records", "Records each running import has read so far.",
            labels=labels),
        "created_facts": GaugeMetricFamily(
            "dayfacts_import_created_facts", "Facts each running import has created so far.",
            labels=labels),
        "started": GaugeMetricFamily(
            "dayfacts_import_started_timestamp_seconds",
            "When each running import started, in seconds since the epoch.", labels=labels),
        "heartbeat": GaugeMetricFamily(
            "dayfacts_import_heartbeat_timestamp_seconds",
            "When each running import last reported, in seconds since the epoch.",
            labels=labels),
    }
    for run in runs:
        values = [str(run.pk), run.source]
        gauges["progress_ratio"].add_metric(values, run.progress)
        gauges["records"].add_metric(values, run.records)
        gauges["created_facts"].add_metric(values, run.created_facts)
        gauges["started"].add_metric(values, run.started.timestamp())
        gauges["heartbeat"].add_metric(values, run.heartbeat.timestamp())
    yield from gauges.values()


def edition_gauges(editions):
    """Gauges for the newsletter editions being sent now, one series per edition."""
    yield GaugeMetricFamily(
        "dayfacts_newsletter_edition_sending",
        "Newsletter editions with deliveries still waiting to go out.", value=len(editions)
    )
    labels = ["edition", "frequency", "date"]
    gauges = {
        "progress_ratio": GaugeMetricFamily(
            "dayfacts_newsletter_edition_progress_ratio",
            "How far each edition being sent has come: deliveries done, of all of them.",
            labels=labels),
        "sent": GaugeMetricFamily(
            "dayfacts_newsletter_edition_sent", "Deliveries of each edition sent so far.",
            labels=labels),
        "deliveries": GaugeMetricFamily(
            "dayfacts_newsletter_edition_deliveries",
            "Deliveries of each edition being sent, whatever their status.", labels=labels),
        "started": GaugeMetricFamily(
            "dayfacts_newsletter_edition_started_timestamp_seconds",
            "When each edition's sending started, in seconds since the epoch.", labels=labels),
    }
    for edition in editions:
        values = [str(edition.pk), edition.frequency, edition.date.isoformat()]
        gauges["progress_ratio"].add_metric(values, edition.progress)
        gauges["sent"].add_metric(values, edition.sent_count)
        gauges["deliveries"].add_metric(values, edition.delivery_count)
        gauges["started"].add_metric(values, edition.started.timestamp())
    yield from gauges.values()


def _guarded(what, read):
    """Run read(); on a missing table, an unreachable queue or a renamed method, skip it."""
    try:
        return read()
    except (DatabaseError, RedisError, AttributeError, OSError) as exc:
        logger.warning("metrics: cannot read %s (%s)", what, type(exc).__name__)
        return None


def render():
    """Return the whole exposition: this process's (or all workers') metrics, then the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    site = CollectorRegistry()
    site.register(SiteCollector())
    return generate_latest(registry) + generate_latest(site)
