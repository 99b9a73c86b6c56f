"""Watching imports in the admin: what runs, how far it has come, since when; never editing."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.utils import formats, timezone

from dayfacts.interchange.models import ImportRun, RunState

STARTED = dt.datetime(2026, 3, 20, 7, 30, tzinfo=dt.UTC)


def cells(page, run):
    """The changelist row of `run` as {column: text}."""
    row = re.search(rf'<tr>(?:(?!</tr>).)*?/{run.pk}/change/(?:(?!</tr>).)*</tr>', page, re.S)
    assert row, f"run {run.pk} is not listed"
    return {name: unescape(re.sub(r"<[^>]+>", "", text)).strip()
            for name, text in re.findall(r'<t[dh] class="field-([\w]+)[^"]*">(.*?)</t[dh]>',
                                         row[0], re.S)}


def shown(value):
    """A date and time as the admin shows it."""
    return formats.localize(timezone.template_localtime(value))


@pytest.fixture
def live_run(db):
    return ImportRun.objects.create(
        source="wikipedia", what="../shared/data/wikipedia-onthisday", inputs_total=366,
        inputs_done=12, records=4321, created_facts=4100, started=STARTED,
        heartbeat=timezone.now())


@pytest.fixture
def finished_run(db):
    return ImportRun.objects.create(
        source="csv", what="facts.csv", state=RunState.FINISHED, inputs_total=1, inputs_done=1,
        records=20, created_facts=18, started=STARTED - dt.timedelta(days=1),
        finished=STARTED - dt.timedelta(days=1) + dt.timedelta(seconds=4))


@pytest.fixture
def editor(client, db):
    user = User.objects.create_user("editor-1", password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    client.force_login(user)
    return client


@pytest.fixture
def superuser(client, db):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "not-used"))
    return client


def test_the_list_shows_what_runs_how_far_and_since_when(editor, live_run, finished_run):
    page = editor.get("/admin/interchange/importrun/").content.decode()
    assert cells(page, live_run) == {
        "what": "../shared/data/wikipedia-onthisday", "source": "wikipedia",
        "state_now": "Running", "progress": "12 of 366 inputs (3%)", "records": "4321",
        "created_facts": "4100", "started": shown(STARTED),
        "last_heard": shown(live_run.heartbeat),
    }
    finished = cells(page, finished_run)
    assert finished["state_now"] == "Finished"
    assert finished["progress"] == "1 of 1 input (100%)"
    assert finished["last_heard"] == shown(finished_run.finished)


def test_a_run_whose_process_is_gone_says_so(editor, live_run):
    ImportRun.objects.filter(pk=live_run.pk).update(
        heartbeat=timezone.now() - dt.timedelta(hours=1))
    page = editor.get("/admin/interchange/importrun/").content.decode()
    assert cells(page, live_run)["state_now"] == "Running (its process is gone)"


def test_the_admin_index_has_a_running_now_box(editor, live_run, finished_run):
    page = editor.get("/admin/").content.decode()
    box = re.search(r'<div class="module" id="running-now">.*?</div>', page, re.S)[0]
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box)))
    assert "wikipedia import: ../shared/data/wikipedia-onthisday" in text
    assert "12 of 366 inputs (3%)" in text
    assert f'datetime="{timezone.localtime(STARTED).isoformat()}"' in box
    assert f"/admin/interchange/importrun/{live_run.pk}/change/" in box
    assert "facts.csv" not in box  # finished: not running


def test_no_box_when_nothing_runs(editor, finished_run):
    page = editor.get("/admin/").content.decode()
    assert "running-now" not in page
    assert "Import runs" in page  # the history is still a click away


def test_a_run_is_watched_never_edited(editor, superuser, live_run, finished_run):
    for client in (editor, superuser):
        change = client.get(f"/admin/interchange/importrun/{live_run.pk}/change/")
        assert change.status_code == 200
        assert b"View import run" in change.content  # Django's read-only change page
        assert b'name="_save"' not in change.content and b'name="what"' not in change.content
        assert b"12 of 366 inputs (3%)" in change.content
        assert client.get("/admin/interchange/importrun/add/").status_code == 403
        client.post(f"/admin/interchange/importrun/{live_run.pk}/change/",
                    {"what": "something else", "state": "failed"})
    live_run.refresh_from_db()
    assert live_run.what == "../shared/data/wikipedia-onthisday"
    assert live_run.state == RunState.RUNNING


def test_only_ended_runs_can_be_deleted(superuser, live_run, finished_run):
    assert superuser.get(f"/admin/interchange/importrun/{live_run.pk}/delete/").status_code == 403
    superuser.post(f"/admin/interchange/importrun/{live_run.pk}/delete/", {"post": "yes"})
    assert ImportRun.objects.filter(pk=live_run.pk).exists()
    # Without the bulk action a live run cannot slip through with the ended ones.
    listing = superuser.get("/admin/interchange/importrun/").content.decode()
    assert "delete_selected" not in listing
    superuser.post(f"/admin/interchange/importrun/{finished_run.pk}/delete/", {"post": "yes"})
    assert not ImportRun.objects.filter(pk=finished_run.pk).exists()


def test_editors_cannot_delete_even_ended_runs(editor, finished_run):
    response = editor.get(f"/admin/interchange/importrun/{finished_run.pk}/delete/")
    assert response.status_code == 403


def test_runs_are_for_signed_in_editors_only(client, live_run):
    for url in ("/admin/interchange/importrun/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    newsletter_manager = User.objects.create_user("nm", password="not-used", is_staff=True)
    newsletter_manager.groups.add(Group.objects.get(name="newsletter managers"))
    client.force_login(newsletter_manager)
    assert client.get("/admin/interchange/importrun/").status_code == 403
    assert "wikipedia-onthisday" not in client.get("/admin/").content.decode()
