"""What editors do in the admin: counts, a test to themselves, pause and resume, export."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model

from dayfacts.newsletter.models import Delivery, DeliveryStatus, Edition
from dayfacts.newsletter.scheduling import tick

from .conftest import parts, subscribe

# Transactional: the worker run inside a test checks its connection as a real one would,
# which a test-wide transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def edition(mail, march_20):
    for n in range(4):
        subscribe(f"reader{n}@example.org")
    tick(now=dt.datetime(2026, 3, 20, 7, 30, tzinfo=dt.UTC), enqueue=False)
    deliveries = list(Delivery.objects.order_by("pk"))
    deliveries[0].status = DeliveryStatus.SENT
    deliveries[1].status = DeliveryStatus.BOUNCED
    deliveries[2].status = DeliveryStatus.FAILED
    Delivery.objects.bulk_update(deliveries, ["status"])
    return Edition.objects.get()


def test_edition_list_shows_counts(editor, edition):
    page = editor.get("/admin/newsletter/edition/").content.decode()
    counts = dict(re.findall(r'<td class="field-(\w+)">([^<]*)</td>', page))
    counts.pop("paused", None)
    assert counts == {"subject": "March 20th: The first day of spring is measured",
                      "progress": "1 of 4 sent (75% done)",
                      "queued": "1", "sending": "0", "sent": "1", "failed": "1", "bounced": "1"}


def test_send_a_test_to_myself(editor, edition, mail):
    response = editor.post("/admin/newsletter/edition/", {
        "action": "send_test", "_selected_action": [edition.pk]}, follow=True)
    assert b"Sent 1 test(s) to editor@example.org" in response.content
    [message] = mail.to("editor@example.org")
    text, html = parts(message)
    assert "The first day of spring is measured" in text and "Event number 7" in html
    assert "%%UNSUBSCRIBE_URL%%" not in text + html
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 1  # no one else


def test_pause_and_resume(editor, edition):
    editor.post("/admin/newsletter/edition/", {"action": "pause",
                                                "_selected_action": [edition.pk]})
    assert Edition.objects.get().paused
    editor.post("/admin/newsletter/edition/", {"action": "resume",
                                                "_selected_action": [edition.pk]})
    assert not Edition.objects.get().paused


def test_export_subscribers_csv(editor, mail):
    subscribe("ada@example.org", tz="Europe/Paris")
    subscribe("grace@example.org", frequency="weekly")
    from dayfacts.newsletter.models import Subscriber

    response = editor.post("/admin/newsletter/subscriber/", {
        "action": "export_csv",
        "_selected_action": list(Subscriber.objects.values_list("pk", flat=True))})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["email"], r["time_zone"], r["frequency"]) for r in rows] == [
        ("ada@example.org", "Europe/Paris", "daily"), ("grace@example.org", "UTC", "weekly")]
