"""How far an edition has been sent, and since when: in the admin list and the index box."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import formats, timezone

from dayfacts.newsletter.models import Delivery, Edition, Subscriber

FIRST_CLAIM = dt.datetime(2026, 3, 20, 7, 0, 12, tzinfo=dt.UTC)


def make_edition(day, statuses):
    edition = Edition.objects.create(frequency="daily", date=dt.date(2026, 3, day),
                                     subject=f"March {day}", html="<p>x</p>", text="x")
    for n, status in enumerate(statuses):
        subscriber, _ = Subscriber.objects.get_or_create(email=f"reader{n}@example.org")
        claimed = FIRST_CLAIM + dt.timedelta(seconds=n) if status != "queued" else None
        Delivery.objects.create(edition=edition, subscriber=subscriber, status=status,
                                claimed_at=claimed)
    return edition


@pytest.fixture
def sending(db):
    """An edition with 3 of its 5 deliveries sent and 2 still queued."""
    return make_edition(20, ["sent", "sent", "sent", "queued", "queued"])


@pytest.fixture
def manager(client, db):
    user = User.objects.create_user("nm-1", password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name="newsletter managers"))
    client.force_login(user)
    return client


def row_of(page, edition):
    row = re.search(rf'<tr>(?:(?!</tr>).)*?/{edition.pk}/change/(?:(?!</tr>).)*</tr>', page, re.S)
    return dict(re.findall(r'<td class="field-(\w+)[^"]*">([^<]*)</td>', row[0]))


def test_in_progress_means_deliveries_still_waiting(sending):
    done = make_edition(19, ["sent", "failed", "bounced", "cancelled"])
    retrying = make_edition(18, ["sent", "failed"])
    Delivery.objects.filter(edition=retrying, status="failed").update(status="queued")
    assert set(Edition.objects.in_progress()) == {sending, retrying}
    progress = {e: e.progress for e in Edition.objects.with_progress()}
    assert progress == {sending: 0.6, retrying: 0.5, done: 1.0}


def test_the_edition_list_shows_how_far_and_since_when(manager, sending):
    page = manager.get("/admin/newsletter/edition/").content.decode()
    row = row_of(page, sending)
    assert unescape(row["progress"]) == "3 of 5 sent (60% done)"
    assert row["started"] == formats.localize(timezone.template_localtime(FIRST_CLAIM))


def test_an_edition_no_one_has_claimed_started_when_it_was_made(manager):
    waiting = make_edition(21, ["queued", "queued"])
    row = row_of(manager.get("/admin/newsletter/edition/").content.decode(), waiting)
    assert row["progress"] == "0 of 2 sent (0% done)"
    assert row["started"] == formats.localize(timezone.template_localtime(waiting.created))


def test_the_admin_index_box_lists_editions_being_sent(manager, sending):
    make_edition(19, ["sent", "sent"])  # finished: not shown
    box = re.search(r'<div class="module" id="running-now">.*?</div>',
                    manager.get("/admin/").content.decode(), re.S)[0]
    assert "Newsletter: <a" in box and "Daily 2026-03-20" in box
    assert "3 of 5 sent (60% done)" in box
    assert f'datetime="{timezone.localtime(FIRST_CLAIM).isoformat()}"' in box
    assert "2026-03-19" not in box


def test_paused_editions_say_so_in_the_box(manager, sending):
    Edition.objects.filter(pk=sending.pk).update(paused=True)
    assert "60% done), paused" in manager.get("/admin/").content.decode()


def test_the_box_takes_one_query_per_kind_of_job(sending, django_assert_num_queries):
    make_edition(21, ["queued"] * 3)
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", "root@example.org", "not-used")
    with django_assert_num_queries(2):  # the live imports, the editions being sent
        html = Template("{% load running %}{% running_now %}").render(
            Context({"request": request}))
    assert html.count("Newsletter: <a") == 2


def test_editors_and_strangers_see_no_editions(client, sending):
    assert "/login/" in client.get("/admin/")["Location"]
    editor = User.objects.create_user("editor-1", password="not-used", is_staff=True)
    editor.groups.add(Group.objects.get(name="editors"))
    client.force_login(editor)
    assert "2026-03-20" not in client.get("/admin/").content.decode()
