"""/metrics: what it counts, who may read it, and the gauges read at scrape time."""

import datetime
import re

import pytest
from django.test import override_settings
from prometheus_client.mmap_dict import MmapedDict

from tests.conftest import REPO
from tests.servers import site_env

from .servers import Server
from .tasks import nothing


def sample(text, name, **labels):
    """Return the value of one sample in Prometheus text format, or None when absent."""
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if not match or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match[2] or ""))
        if found == {k: str(v) for k, v in labels.items()}:
            return float(match[3])
    return None


def scrape(client, **headers):
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


@pytest.mark.django_db
def test_requests_are_counted_by_route_name_and_status(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page/")
    after = scrape(client)

    def delta(**labels):
        return (sample(after, "dayfacts_http_requests_total", **labels) or 0) - (
            sample(before, "dayfacts_http_requests_total", **labels) or 0)

    assert delta(route="ops:healthz", method="GET", status=200) == 2
    # Paths that match no route share one label instead of one series each.
    assert delta(route="unmatched", method="GET", status=404) == 1
    assert "/no/such/page/" not in after
    count = sample(after, "dayfacts_http_request_duration_seconds_count",
                   route="ops:healthz", method="GET")
    assert count >= 2


@pytest.mark.django_db
def test_queue_depth_counts_waiting_tasks(client):
    assert sample(scrape(client), "dayfacts_task_queue_depth", queue="default") == 0
    nothing.enqueue()
    nothing.enqueue()
    assert sample(scrape(client), "dayfacts_task_queue_depth", queue="default") == 2


@pytest.mark.django_db
def test_deliveries_by_status_are_read_from_the_database(client):
    newsletter = pytest.importorskip("dayfacts.newsletter.models")
    edition = newsletter.Edition.objects.create(
        frequency="daily", date=datetime.date(2026, 3, 20), subject="March 20th",
        html="<p>x</p>", text="x")
    for n, status in enumerate(["sent", "sent", "failed", "queued"]):
        subscriber = newsletter.Subscriber.objects.create(email=f"reader{n}@example.org")
        newsletter.Delivery.objects.create(edition=edition, subscriber=subscriber, status=status)
    text = scrape(client)
    assert sample(text, "dayfacts_newsletter_deliveries", status="sent") == 2
    assert sample(text, "dayfacts_newsletter_deliveries", status="failed") == 1
    assert sample(text, "dayfacts_newsletter_deliveries", status="bounced") == 0
    assert "reader0@example.org" not in text


@pytest.mark.django_db
def test_held_comments_are_read_from_the_database(client):
    comments = pytest.importorskip("dayfacts.comments.models")
    from dayfacts.facts.models import Fact

    fact = Fact.objects.create(month=3, day=20, year=1952, kind="event", title="A fact",
                               slug="a-fact", summary="Something happened.", status="published")
    for status in ["pending", "pending", "approved", "spam"]:
        comments.Comment.objects.create(fact=fact, name="Reader", email="r@example.org",
                                        text="A comment.", status=status)
    assert sample(scrape(client), "dayfacts_comments_held") == 2


@pytest.mark.django_db
def test_a_running_import_is_reported_with_its_progress(client):
    from dayfacts.interchange.models import ImportRun, RunState

    assert sample(scrape(client), "dayfacts_import_running") == 0
    started = datetime.datetime(2026, 3, 20, 7, 30, tzinfo=datetime.UTC)
    run = ImportRun.objects.create(source="wikipedia", what="wikipedia-onthisday",
                                   inputs_total=366, inputs_done=12, records=4321,
                                   created_facts=4100, started=started)
    ImportRun.objects.create(source="csv", what="old.csv", state=RunState.FINISHED,
                             inputs_total=1, inputs_done=1)
    text = scrape(client)
    labels = {"run": run.pk, "source": "wikipedia"}
    assert sample(text, "dayfacts_import_running") == 1
    assert sample(text, "dayfacts_import_progress_ratio", **labels) == pytest.approx(12 / 366)
    assert sample(text, "dayfacts_import_records", **labels) == 4321
    assert sample(text, "dayfacts_import_created_facts", **labels) == 4100
    assert sample(text, "dayfacts_import_started_timestamp_seconds", **labels) == (
        started.timestamp())
    assert sample(text, "dayfacts_import_heartbeat_timestamp_seconds", **labels) > 0
    assert "old.csv" not in text and 'source="csv"' not in text  # only live runs have series

    ImportRun.objects.filter(pk=run.pk).update(state=RunState.FINISHED, inputs_done=366)
    text = scrape(client)
    assert sample(text, "dayfacts_import_running") == 0
    assert sample(text, "dayfacts_import_progress_ratio", **labels) is None


@pytest.mark.django_db
def test_an_edition_being_sent_is_reported_with_its_progress(client):
    newsletter = pytest.importorskip("dayfacts.newsletter.models")
    claimed = datetime.datetime(2026, 3, 20, 7, 0, tzinfo=datetime.UTC)
    edition = newsletter.Edition.objects.create(
        frequency="daily", date=datetime.date(2026, 3, 20), subject="March 20th",
        html="<p>x</p>", text="x")
    for n, status in enumerate(["sent", "sent", "sent", "queued", "queued"]):
        subscriber = newsletter.Subscriber.objects.create(email=f"reader{n}@example.org")
        newsletter.Delivery.objects.create(
            edition=edition, subscriber=subscriber, status=status,
            claimed_at=claimed + datetime.timedelta(seconds=n) if status == "sent" else None)
    text = scrape(client)
    labels = {"edition": edition.pk, "frequency": "daily", "date": "2026-03-20"}
    assert sample(text, "dayfacts_newsletter_edition_sending") == 1
    assert sample(text, "dayfacts_newsletter_edition_progress_ratio", **labels) == 0.6
    assert sample(text, "dayfacts_newsletter_edition_sent", **labels) == 3
    assert sample(text, "dayfacts_newsletter_edition_deliveries", **labels) == 5
    assert sample(text, "dayfacts_newsletter_edition_started_timestamp_seconds", **labels) == (
        claimed.timestamp())

    newsletter.Delivery.objects.filter(status="queued").update(status="sent")
    text = scrape(client)
    assert sample(text, "dayfacts_newsletter_edition_sending") == 0
    assert sample(text, "dayfacts_newsletter_edition_sent", **labels) is None


@pytest.mark.django_db
def test_every_metric_is_documented(client):
    from dayfacts.interchange.models import ImportRun

    ImportRun.objects.create(source="csv", what="facts.csv", inputs_total=2)
    text = scrape(client)
    names = set(re.findall(r"^# TYPE (dayfacts_\w+)", text, re.M))
    docs = (REPO / "docs" / "deploy.md").read_text()
    # prometheus_client adds a `_created` gauge beside each counter and histogram on its own.
    missing = {name for name in names if f"`{name}`" not in docs and not name.endswith("_created")}
    assert not missing, f"not in docs/deploy.md: {sorted(missing)}"


@pytest.mark.django_db
def test_a_table_the_database_lacks_costs_only_its_own_gauges(client):
    """An old database (or a failing query) leaves the rest of /metrics answering."""
    from django.db import connection

    from dayfacts.interchange.models import ImportRun

    client.get("/healthz")
    table = connection.ops.quote_name(ImportRun._meta.db_table)
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"ALTER TABLE {table} RENAME TO import_run_elsewhere")
    text = scrape(client)
    assert sample(text, "dayfacts_import_running") is None
    assert sample(text, "dayfacts_http_requests_total",
                  route="ops:healthz", method="GET", status=200) >= 1


@pytest.mark.django_db
def test_metrics_without_a_token_are_for_loopback_clients_only(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 401
    # Through the proxy every client looks like loopback, but carries X-Forwarded-For.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_metrics_with_a_token_need_the_bearer_token(client):
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    allowed = client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                         headers={"Authorization": "Bearer s3cret-scrape-token"})
    assert allowed.status_code == 200
    assert b"dayfacts_http_requests_total" in allowed.content


def test_gunicorns_workers_add_up_their_counts(tmp_path):
    """Two gunicorn workers, one scrape: the counts of both, through the shared directory."""
    shared = tmp_path / "metrics"

    def workers_that_counted_404s():
        # Each worker keeps its counts in a file of its own: counter_<pid>.db.
        return sum(any('"unmatched"' in key for key, *_ in MmapedDict.read_all_values_from_file(
            str(path))) for path in shared.glob("counter_*.db"))

    server = Server(site_env(tmp_path, PROMETHEUS_MULTIPROC_DIR=shared), workers=2)
    server.wait_until_up()
    try:
        sent = 0
        while sent < 20 or workers_that_counted_404s() < 2:
            assert server.get("/no/such/page/")[0] == 404
            sent += 1
            assert sent < 200, "one worker answered everything"
        status, headers, text = server.get("/metrics")
    finally:
        server.stop()
    assert status == 200
    assert sample(text, "dayfacts_http_requests_total",
                  route="unmatched", method="GET", status=404) == sent
