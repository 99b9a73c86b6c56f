import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Status


def test_body_markdown_is_rendered_and_sanitized(make_fact):
    fact = make_fact(
        body="Some *emphasis*.\n\n<script>alert(1)</script><a href='javascript:x'>x</a>"
    )
    assert "<em>emphasis</em>" in fact.body_html
    assert "<script" not in fact.body_html
    assert "javascript:" not in fact.body_html


def test_slug_is_made_from_title_and_year_and_kept_unique(make_fact):
    first = make_fact(title="Treaty signed", year=-44, slug="")
    second = make_fact(title="Treaty signed", year=-44, slug="")
    assert first.slug == "treaty-signed-44-bc"
    assert second.slug == "treaty-signed-44-bc-2"


def test_a_facts_address_follows_an_edited_slug(make_fact):
    fact = make_fact(title="Treaty signed", slug="treaty-signed")
    assert fact.get_absolute_url() == "/facts/treaty-signed/"
    fact.slug = "security-treaty-signed"
    fact.save()
    assert fact.get_absolute_url() == "/facts/security-treaty-signed/"


def test_published_hides_drafts_and_future_schedules(make_fact):
    now = timezone.now()
    visible = make_fact(title="visible")
    make_fact(title="draft", status=Status.DRAFT)
    scheduled_past = make_fact(title="due", status=Status.SCHEDULED,
                               publish_at=now - dt.timedelta(minutes=1))
    later = make_fact(title="later", status=Status.SCHEDULED,
                      publish_at=now + dt.timedelta(hours=1))
    make_fact(title="draft for later", status=Status.DRAFT, publish_at=now + dt.timedelta(hours=1))
    assert set(Fact.objects.published()) == {visible, scheduled_past}
    assert set(Fact.objects.upcoming()) == {later}


def test_on_selects_calendar_days(make_fact):
    march_20 = make_fact(month=3, day=20)
    leap = make_fact(month=2, day=29)
    make_fact(month=3, day=21)
    assert list(Fact.objects.on(MonthDay(3, 20))) == [march_20]
    assert set(Fact.objects.on(MonthDay(3, 20), MonthDay(2, 29))) == {march_20, leap}


def test_headline_prefers_featured_then_most_notable_event(make_fact):
    day = MonthDay(3, 20)
    assert Fact.objects.headline(day) is None
    birth = make_fact(kind="birth", notability=50)
    assert Fact.objects.headline(day) == birth
    low = make_fact(notability=1)
    high = make_fact(notability=9)
    assert Fact.objects.headline(day) == high
    featured = make_fact(featured=True, notability=0)
    assert Fact.objects.headline(day) == featured
    assert low != featured


def test_headline_ignores_unpublished_featured_facts(make_fact):
    event = make_fact(notability=5)
    make_fact(featured=True, status=Status.DRAFT)
    assert Fact.objects.headline(MonthDay(3, 20)) == event


def test_headlines_choose_each_days_headline_by_the_same_rule(make_fact):
    march_19, march_20, march_21, march_22 = (MonthDay(3, day) for day in (19, 20, 21, 22))
    older = make_fact(day=19, featured=True, title="Featured first")
    newer = make_fact(day=19, featured=True, title="Featured again")
    make_fact(day=19, notability=99)
    event = make_fact(day=20, notability=5)
    make_fact(day=20, featured=True, status=Status.DRAFT)
    birth = make_fact(day=21, kind="birth")
    found = Fact.objects.headlines(march_19, march_20, march_21, march_22)
    # The most recently updated featured fact, the most notable event, then any entry.
    assert found == {march_19: newer, march_20: event, march_21: birth, march_22: None}
    assert all(Fact.objects.headline(day) == fact for day, fact in found.items())
    older.save()
    assert Fact.objects.headlines(march_19)[march_19] == older


def test_database_refuses_year_zero(make_fact):
    with pytest.raises(IntegrityError):
        make_fact(year=0, slug="year-zero")


@pytest.mark.parametrize(
    ("month", "day", "year", "field"),
    [(2, 30, 1900, "day"), (4, 31, 1900, "day"), (13, 1, 1900, "day"), (3, 20, 0, "year")],
)
def test_clean_refuses_days_and_years_that_do_not_exist(db, month, day, year, field):
    fact = Fact(month=month, day=day, year=year, title="t", slug="t")
    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    assert field in error.value.message_dict


def test_clean_accepts_feb_29_and_bc(db):
    Fact(month=2, day=29, year=-44, title="t", slug="t").full_clean()


def test_editor_sees_a_clear_message_for_february_30(admin_client):
    response = admin_client.post("/admin/facts/fact/add/", {
        "title": "Impossible", "slug": "impossible", "month": 2, "day": 30, "year": 1900,
        "kind": "event", "status": "draft", "publish_at_0": "2026-01-01",
        "publish_at_1": "00:00:00", "notability": 0,
    })
    assert response.status_code == 200
    assert "February has no day 30." in response.content.decode()
    assert not Fact.objects.filter(slug="impossible").exists()
