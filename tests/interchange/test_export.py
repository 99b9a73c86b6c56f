"""Exporters, and the promise they make: export, import into an empty site, same site."""

import datetime as dt
import json
import re

import pytest

from dayfacts.comments.models import Comment
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Status, Topic
from dayfacts.interchange.models import CommentOrigin, FactOrigin

from .conftest import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """The starter almanac, a topic with a description, a draft, and a comment thread."""
    run("load_almanac")
    topic = Topic.objects.get(name="Diplomacy")
    topic.description = "Treaties, envoys and summits."
    topic.save()
    Fact.objects.create(month=3, day=20, title="Unfinished draft", status=Status.DRAFT)
    treaty = Fact.objects.headline(MonthDay(3, 20))
    first = Comment.objects.create(fact=treaty, name="Ann Reader", email="ann@example.org",
                                   text="A clear account.", status="approved")
    Comment.objects.create(fact=treaty, parent=first, name="Ben", email="ben@example.org",
                           url="https://ben.example.org/", text="Agreed, thanks.",
                           status="approved")
    Comment.objects.create(fact=treaty, name="Held", email="held@example.org",
                           text="Waiting for a moderator.", status="pending")
    Comment.objects.filter(name="Ann Reader").update(
        created=dt.datetime(2024, 3, 20, 9, 30, tzinfo=dt.UTC))
    return treaty


def export(tmp_path, format, *options):
    path = tmp_path / f"export.{format}"
    run("export", format, "-o", str(path), *options)
    return path


def test_jsonl_holds_everything_but_emails(site, tmp_path):
    lines = [json.loads(line) for line in export(tmp_path, "jsonl").read_text().splitlines()]
    types = [line["type"] for line in lines]
    assert types.count("fact") == Fact.objects.count()
    assert types.count("topic") == Topic.objects.count() and types.count("comment") == 3
    assert "example.org\"" not in json.dumps([line for line in lines if "email" in line])
    assert not any("email" in line for line in lines)
    reply = next(line for line in lines if line.get("name") == "Ben")
    assert reply["parent"] and reply["url"] == "https://ben.example.org/"


def test_emails_only_with_include_private(site, tmp_path):
    text = export(tmp_path, "jsonl", "--include-private").read_text()
    assert '"email": "ann@example.org"' in text and '"email": "held@example.org"' in text


def test_csv_has_one_row_per_fact_with_bc_years_written_out(site, tmp_path):
    import csv

    rows = list(csv.DictReader(export(tmp_path, "csv").open(encoding="utf-8")))
    assert len(rows) == Fact.objects.count()
    caesar = next(r for r in rows if r["title"].startswith("Julius Caesar"))
    assert caesar["year"] == "44 BC" and caesar["kind"] == "event"
    treaty = next(r for r in rows if r["slug"] == site.slug)
    assert set(treaty["topics"].split("|")) == {t.name for t in site.topics.all()}


def pages(client):
    """Every page of the site worth comparing, by URL, with per-database ids taken out."""
    days = [MonthDay(3, day) for day in range(19, 22)]
    urls = ["/march/", "/topics/", "/years/1952/", "/years/44-bc/", "/march/20/births/"]
    urls += [f"/{day.path}/" for day in days]
    urls += [t.get_absolute_url() for t in Topic.objects.all()]
    urls += [f.get_absolute_url() for f in Fact.objects.published().on(*days)]
    found = {}
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        html = re.sub(r'(name="[^"]*"[^>]*value=)"[^"]*"', r'\1""', html)  # tokens
        html = re.sub(r'(type="hidden"[^>]*value=)"[^"]*"', r'\1""', html)
        html = re.sub(r"\b(fact|comment|reply|parent)([-_=/])\d+", r"\1\2N", html)
        html = re.sub(r"/comments/\d+", "/comments/N", html)
        html = re.sub(r'(data-comment="|replytocom=|data-reply-to=")\d+', r"\1N", html)
        found[url] = (response.status_code, html)
    return found


def test_export_then_import_into_an_empty_site_gives_the_same_site(site, tmp_path, client):
    before = pages(client)
    path = export(tmp_path, "jsonl", "--include-private")
    first_export = path.read_text()

    for model in (CommentOrigin, Comment, FactOrigin, Fact, Topic):
        model.objects.all().delete()
    assert client.get("/march/20/").status_code == 200
    run("import", "jsonl", str(path))

    after = pages(client)
    assert before.keys() == after.keys()
    for url in before:
        if before[url] != after[url]:
            import difflib

            diff = "\n".join(difflib.unified_diff(before[url][1].splitlines(),
                                                  after[url][1].splitlines(), lineterm=""))
            pytest.fail(f"{url} differs after the round trip:\n{diff}")
    assert Comment.objects.get(name="Ann Reader").created == dt.datetime(
        2024, 3, 20, 9, 30, tzinfo=dt.UTC)
    assert Comment.objects.get(name="Held").email == "held@example.org"
    # A second export says the same, but for the comments' keys (their ids are new).
    second_export = export(tmp_path, "jsonl", "--include-private").read_text()
    strip = lambda text: re.sub(r'"comment/\d+"', '"comment/N"', text)  # noqa: E731
    assert strip(second_export) == strip(first_export)


def test_importing_an_export_into_its_own_site_changes_nothing(site, tmp_path, database_state):
    path = export(tmp_path, "jsonl", "--include-private")
    before = database_state()
    report = run("import", "jsonl", str(path))
    assert database_state() == before
    assert re.search(r"comment\s+│\s+0 │\s+0 │\s+3 │", report)
    assert re.search(r"total\s+│\s+0 │\s+0 │", report)
    run("import", "jsonl", str(path))
    assert database_state() == before
