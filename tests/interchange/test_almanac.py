"""`dayfacts load_almanac`: the starter almanac the package ships."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact
from dayfacts.interchange import almanac
from dayfacts.interchange.models import FactOrigin

pytestmark = pytest.mark.django_db


def load(*args):
    out, err = StringIO(), StringIO()
    call_command("load_almanac", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return sorted(Fact.objects.values_list("slug", "title", "year", "kind", "updated"))


def test_every_day_of_the_year_has_something_to_show():
    out, err = load()
    published = Fact.objects.published()
    for day in MonthDay.all():
        assert published.on(day).exists(), f"{day} is empty"
    assert "Every day of the year has something to show." in out and not err


def test_counts_are_printed_per_kind_with_what_was_skipped():
    out, _ = load()
    for kind in ("event", "birth", "death", "holiday"):
        count = Fact.objects.of_kind(kind).count()
        assert count > 100
        assert re.search(rf"^{kind}\s+{count} loaded", out, re.M)
    assert re.search(r"skipped: (\d+) floating date", out)
    assert re.search(r"skipped: (\d+) variable date", out)
    assert re.search(r"skipped: (\d+) same fact in another file", out)


def test_facts_carry_their_kind_year_source_and_licence():
    load()
    caesar = Fact.objects.get(month=3, day=15, year=-44, title__startswith="Julius Caesar")
    assert caesar.kind == "event" and caesar.year_display == "44 BC"
    assert Fact.objects.deaths().filter(month=6, day=13, year=-323).exists()
    assert Fact.objects.births().filter(month=4, day=8, year=-563, title="Buddha born").exists()
    assert Fact.objects.holidays().filter(title="Independence Day in Haiti and Sudan").exists()
    assert caesar.source_name == "BSD calendar files" and caesar.licence == "BSD"
    assert "Regents of the University of California" in caesar.attribution
    assert Fact.objects.with_topic(Fact.topics.field.related_model.objects.get(name="Music"))


def test_the_featured_articles_lead_their_days():
    load()
    for day, slug in [(19, "senate-rejects-treaty-of-versailles-again-1920"),
                      (20, "senate-ratifies-us-japan-security-treaty-1952"),
                      (21, "kenny-washington-signs-with-los-angeles-rams-1946")]:
        headline = Fact.objects.headline(MonthDay(3, day))
        assert headline.slug == slug and headline.featured
        assert "<p>" in headline.body_html and headline.topics.exists()


def test_loading_twice_changes_nothing():
    load()
    before, origins = snapshot(), FactOrigin.objects.count()
    out, _ = load()
    assert snapshot() == before and FactOrigin.objects.count() == origins
    assert re.search(r"^event\s+0 loaded", out, re.M)


def test_if_empty_leaves_a_database_with_facts_alone():
    Fact.objects.create(month=1, day=1, title="Already here", slug="already-here")
    out, _ = load("--if-empty")
    assert Fact.objects.count() == 1 and "not loaded" in out


def test_missing_featured_file_still_loads_the_calendar(tmp_path):
    stats = almanac.load_almanac(featured_file=tmp_path / "absent.json")
    assert stats.total("created") > 2000 and not Fact.objects.featured().exists()


def test_a_broken_featured_file_loads_nothing(tmp_path):
    broken = tmp_path / "featured.json"
    broken.write_text(json.dumps([{"month": 3, "day": 20, "title": "No slug"}]))
    with pytest.raises(Exception, match=r"featured.json, item 0: missing"):
        almanac.load_almanac(featured_file=broken)
    assert not Fact.objects.exists()


def test_the_command_names_the_broken_file(tmp_path, monkeypatch):
    broken = tmp_path / "featured.json"
    broken.write_text("[{")
    monkeypatch.setattr(almanac, "FEATURED_FILE", broken)
    with pytest.raises(CommandError, match=r"featured.json, line 1: not valid JSON"):
        load()
    assert not Fact.objects.exists()


def test_pages_show_the_calendar_lines_with_their_source(client):
    load()
    day = client.get("/january/1/").content.decode()
    assert "Castro expels Cuban President Batista" in day
    batista = Fact.objects.get(title="Castro expels Cuban President Batista")
    page = client.get(batista.get_absolute_url())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert page.status_code == 200
    assert "Source: BSD calendar files. calendar(1) data, Copyright The Regents" in text
    assert "(BSD)" in text


def test_update_brings_an_edited_featured_article_up_to_date(tmp_path, monkeypatch):
    featured = json.loads(almanac.FEATURED_FILE.read_text())
    load()
    featured[0]["title"] = "A New Title"
    edited = tmp_path / "featured.json"
    edited.write_text(json.dumps(featured))
    monkeypatch.setattr(almanac, "FEATURED_FILE", edited)
    load()
    assert not Fact.objects.filter(title="A New Title").exists()
    out, _ = load("--update")
    fact = Fact.objects.get(slug=featured[0]["slug"])
    assert fact.title == "A New Title" and "1 updated" in out
