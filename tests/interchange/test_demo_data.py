"""`dayfacts demo-data`: plausible facts with a real spread, indexed, safe to run again."""

from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

from dayfacts.facts.models import Fact, Kind
from dayfacts.search import search


@pytest.mark.django_db(transaction=True)
def test_facts_spread_over_days_years_and_kinds_and_are_searchable(capsys):
    call_command("demo-data", "--facts", "3000", "--seed", "7")
    assert "Added 3000 facts" in capsys.readouterr().out
    facts = Fact.objects.published()
    assert facts.count() == 3000
    kinds = Counter(facts.values_list("kind", flat=True))
    assert kinds[Kind.EVENT] > kinds[Kind.BIRTH] > kinds[Kind.DEATH] > kinds[Kind.HOLIDAY] > 0
    assert facts.values("month", "day").distinct().count() > 330
    years = [y for y in facts.values_list("year", flat=True) if y is not None]
    assert min(years) < 0 and max(years) > 1990 and 0 not in years
    assert sum(1 for y in years if y > 1800) > len(years) / 2
    assert facts.exclude(body="").exclude(body_html="").exists()
    assert facts.filter(topics__isnull=False).distinct().count() == 3000
    some = facts.filter(kind=Kind.EVENT).first()
    assert some.pk in [hit.fact.pk for hit in search(f'"{some.title}"')[:100]]
    assert len(set(facts.values_list("slug", flat=True))) == 3000


@pytest.mark.django_db(transaction=True)
def test_running_again_adds_more_and_new_facts_still_get_ids(capsys):
    call_command("demo-data", "--facts", "200", "--seed", "1")
    call_command("demo-data", "--facts", "200", "--seed", "1")
    assert Fact.objects.count() == 400
    fact = Fact.objects.create(month=1, day=1, title="Made by hand after the demo data")
    assert fact.pk > max(Fact.objects.exclude(pk=fact.pk).values_list("pk", flat=True))
    assert search("hand demo").count() == 0  # drafts stay out of search
    assert search("treaty or battle or born or festival").count() > 0


@pytest.mark.django_db(transaction=True)
def test_comments_and_subscribers_when_those_apps_exist(capsys):
    call_command("demo-data", "--facts", "300", "--comments", "20", "--subscribers", "15")
    out = capsys.readouterr().out
    for label, app, model in (("comments", "comments", "Comment"),
                              ("subscribers", "newsletter", "Subscriber")):
        try:
            Model = apps.get_model(app, model)
        except LookupError:
            assert f"Skipped {label}" in out
        else:
            assert Model.objects.count() == (20 if label == "comments" else 15)
