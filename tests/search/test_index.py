"""The index follows every way facts change, bulk loads included."""

from django.core.management import call_command
from django.db import connection

from dayfacts.facts.models import Fact, Status, Topic
from dayfacts.search import index, search


def found(text, **filters):
    return [hit.fact.pk for hit in search(text, **filters)[:50]]


def test_added_edited_and_deleted_facts(make_fact):
    fact = make_fact("Volcano erupts on Iceland")
    assert found("volcano") == [fact.pk]
    fact.title = "Geyser erupts on Iceland"
    fact.save()
    assert found("volcano") == [] and found("geyser") == [fact.pk]
    fact.body = "Farmers saw the *steam* from the valley."
    fact.save(update_fields=["body"])
    assert found("steam valley") == [fact.pk]
    fact.delete()
    assert found("geyser") == []


def test_unpublishing_hides_and_republishing_shows(make_fact):
    fact = make_fact("Volcano erupts on Iceland")
    Fact.objects.filter(pk=fact.pk).update(status=Status.DRAFT)
    assert found("volcano") == []
    Fact.objects.filter(pk=fact.pk).update(status=Status.PUBLISHED)
    assert found("volcano") == [fact.pk]


def test_topics_added_renamed_and_removed(make_fact):
    fact = make_fact("Cup final in Glasgow")
    topic = Topic.objects.create(name="Football", slug="football")
    fact.topics.add(topic)
    assert found("football") == [fact.pk]
    assert found("glasgow", topic="football") == [fact.pk]
    topic.name = "Association football"
    topic.save()
    assert found("association") == [fact.pk]
    fact.topics.remove(topic)
    assert found("association") == [] and found("glasgow", topic="football") == []
    fact.topics.add(topic)
    topic.delete()
    assert found("association") == [] and found("glasgow") == [fact.pk]


def test_bulk_create_and_queryset_update_are_indexed(db):
    Fact.objects.bulk_create(
        Fact(month=1, day=n, year=1900 + n, title=f"Blizzard number {n}", slug=f"blizzard-{n}",
             status=Status.PUBLISHED) for n in range(1, 11))
    assert search("blizzard").count() == 10
    Fact.objects.filter(title="Blizzard number 3").update(title="Heatwave number 3")
    assert search("blizzard").count() == 9 and search("heatwave").count() == 1
    Fact.objects.filter(day__gt=5).delete()
    assert search("blizzard").count() == 4


def test_rebuild_restores_a_lost_index(make_fact):
    fact = make_fact("Volcano erupts on Iceland", topics=["Geology"])
    table = "search_fts" if connection.vendor == "sqlite" else "search_document"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert found("volcano") == []
    index.rebuild()
    assert found("volcano") == [fact.pk] and found("geology") == [fact.pk]
    assert index.size() == 1


def test_reindex_command(make_fact, capsys):
    make_fact("Volcano erupts on Iceland")
    call_command("search", "reindex")
    assert "Indexed 1 fact" in capsys.readouterr().out
    assert search("volcano").count() == 1


def test_paused_loads_are_indexed_when_the_block_ends(db):
    with index.paused():
        Fact.objects.bulk_create([Fact(month=2, day=2, title="Avalanche in the Alps",
                                       slug="avalanche", status=Status.PUBLISHED)])
    assert search("avalanche").count() == 1


def test_changed_kind_year_and_notability_reach_the_filters_and_order(make_fact):
    first = make_fact("Harbour lights festival", kind="event", year=1890)
    second = make_fact("Harbour lights pageant", kind="event", year=1890)
    Fact.objects.filter(pk=first.pk).update(kind="holiday", year=1990)
    assert found("harbour", kind="holiday") == [first.pk]
    assert found("harbour", century=20) == [first.pk]
    assert found("harbour", century=19) == [second.pk]
    Fact.objects.filter(pk=second.pk).update(notability=50)
    Fact.objects.filter(pk=first.pk).update(notability=1)
    assert found("harbour lights") == [second.pk, first.pk]
    Fact.objects.filter(pk=second.pk).update(notability=0)
    assert found("harbour lights") == [first.pk, second.pk]


def test_reindex_puts_back_triggers_a_killed_load_left_off(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER search_fact_ai")
            cursor.execute("DROP TRIGGER search_meta_ai")
        else:
            cursor.execute("ALTER TABLE facts_fact DISABLE TRIGGER search_fact_ai")
    Fact.objects.create(month=1, day=1, title="Avalanche before", status=Status.PUBLISHED)
    assert search("avalanche").count() == 0
    index.rebuild()
    assert search("avalanche").count() == 1
    Fact.objects.create(month=1, day=2, title="Avalanche after", status=Status.PUBLISHED)
    assert search("avalanche").count() == 2
