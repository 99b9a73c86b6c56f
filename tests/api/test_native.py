import datetime as dt

import pytest
import time_machine

from dayfacts.facts.models import Topic


def test_facts_filter_by_kind_topic_and_year_range(client, march_20):
    def titles(query):
        response = client.get(f"/api/v1/facts?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["items"])

    assert titles("kind=death") == ["Isaac Newton"]
    assert titles("topic=science") == ["Ada Lovelace", "Treaty of Paris"]
    assert titles("year_from=1700&year_to=1800") == ["Isaac Newton"]
    assert titles("year_to=-1") == ["Ides plot"]
    assert titles("date=03-21") == ["Elsewhere"]
    assert titles("featured=true") == ["Treaty of Paris"]
    assert "Not yet" not in titles("")


def test_cursor_pages_cover_every_fact_once(client, make_fact):
    made = {make_fact(month=month, day=day).pk for month in (1, 6, 12) for day in (1, 2, 3)}
    seen, url, pages = [], "/api/v1/facts?limit=4", 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert len(seen) == len(made) and set(seen) == made
    assert seen[0] != seen[-1]


def test_fields_slim_the_items(client, march_20):
    body = client.get("/api/v1/facts?fields=title,year&kind=death").json()
    assert body["items"] == [{"title": "Isaac Newton", "year": 1727}]


@pytest.mark.parametrize("query", ["fields=title,email", "cursor=%%%", "cursor=bm9wZQ",
                                   "limit=0", "limit=101", "kind=wedding", "date=3-20",
                                   "date=02-30", "year_from=2000&year_to=1900"])
def test_bad_list_parameters_are_a_400_problem(client, db, query):
    response = client.get(f"/api/v1/facts?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_topic_is_a_404(client, db):
    assert client.get("/api/v1/facts?topic=nothing").status_code == 404
    assert client.get("/api/v1/topics/nothing").status_code == 404


def test_fact_by_id_and_slug_carries_article_and_source(client, march_20):
    fact = march_20["featured"]
    by_id = client.get(f"/api/v1/facts/{fact.pk}").json()
    by_slug = client.get(f"/api/v1/facts/slug/{fact.slug}").json()
    assert by_id == by_slug
    assert "<em>ended</em>" in by_id["body_html"]
    assert by_id["topics"] == ["science"]
    assert by_id["comment_count"] == 0
    assert by_id["api_url"].endswith(f"/api/v1/facts/{fact.pk}")


def test_drafts_and_missing_facts_are_404(client, march_20):
    assert client.get(f"/api/v1/facts/{march_20['draft'].pk}").status_code == 404
    assert client.get("/api/v1/facts/slug/not-yet").status_code == 404
    assert client.get("/api/v1/facts/999999").status_code == 404


def test_comment_counts_count_approved_comments_only(client, march_20):
    from dayfacts.comments.models import Comment, CommentStatus

    fact = march_20["death"]
    for status in (CommentStatus.APPROVED, CommentStatus.APPROVED, CommentStatus.PENDING):
        Comment.objects.create(fact=fact, name="Reader", email="reader@example.org",
                               text="Good to know.", status=status)
    assert client.get(f"/api/v1/facts/{fact.pk}").json()["comment_count"] == 2
    items = client.get("/api/v1/facts?kind=death").json()["items"]
    assert items[0]["comment_count"] == 2
    assert "reader@example.org" not in client.get(f"/api/v1/facts/{fact.pk}").content.decode()


def test_random_fact_honours_kind_topic_and_today(client, march_20):
    for _ in range(5):
        assert client.get("/api/v1/facts/random?kind=birth").json()["title"] == "Ada Lovelace"
        titles = {"Ada Lovelace", "Treaty of Paris"}
        assert client.get("/api/v1/facts/random?topic=science").json()["title"] in titles
    slim = client.get("/api/v1/facts/random?kind=death&fields=title").json()
    assert slim == {"title": "Isaac Newton"}
    with time_machine.travel(dt.datetime(2031, 3, 21, 12, tzinfo=dt.UTC)):
        assert client.get("/api/v1/facts/random?today=true").json()["title"] == "Elsewhere"
    with time_machine.travel(dt.datetime(2031, 7, 4, 12, tzinfo=dt.UTC)):
        assert client.get("/api/v1/facts/random?today=true").status_code == 404


def test_day_counts_kinds_and_links_neighbours(client, march_20):
    body = client.get("/api/v1/days/03/20").json()
    assert body["counts"] == {"event": 3, "birth": 1, "death": 1, "holiday": 1}
    assert body["headline"]["title"] == "Treaty of Paris"
    assert body["previous"].endswith("/api/v1/days/03/19")
    assert body["url"].endswith("/march/20/")
    assert client.get("/api/v1/days/12/31").json()["next"].endswith("/api/v1/days/01/01")
    assert client.get("/api/v1/days/02/30").status_code == 400


def test_topics_count_published_facts(client, march_20, make_fact):
    make_fact(title="Draft science", status="draft", topics=[march_20["science"]])
    Topic.objects.create(name="Empty", slug="empty")
    topics = {t["slug"]: t["fact_count"] for t in client.get("/api/v1/topics").json()}
    assert topics == {"science": 2, "empty": 0}
    detail = client.get("/api/v1/topics/science?fields=title").json()
    assert sorted(item["title"] for item in detail["facts"]["items"]) == [
        "Ada Lovelace", "Treaty of Paris"]


@pytest.mark.parametrize("year", ["44-bc", "-44"])
def test_years_take_bc_as_slug_or_negative(client, march_20, year):
    body = client.get(f"/api/v1/years/{year}").json()
    assert body["year"] == -44 and body["name"] == "44 BC"
    assert [item["title"] for item in body["facts"]["items"]] == ["Ides plot"]


@pytest.mark.parametrize("year", ["0", "0-bc", "-44-bc", "1952ad"])
def test_bad_years_are_400(client, db, year):
    assert client.get(f"/api/v1/years/{year}").status_code == 400
