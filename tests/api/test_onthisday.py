import json
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from dayfacts.facts.models import Fact

SCHEMA = json.loads((Path(__file__).parent / "onthisday.schema.json").read_text())
TYPES = ["all", "selected", "events", "births", "deaths", "holidays"]


def get(client, path):
    return client.get(f"/api/v1/feed/onthisday/{path}")


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_matches_the_wikipedia_schema(client, march_20, type_):
    response = get(client, f"{type_}/03/20")
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, SCHEMA, format_checker=jsonschema.FormatChecker())
    expected = ["selected", "events", "births", "deaths", "holidays"] if type_ == "all" else [type_]
    assert sorted(body) == sorted(expected)


def test_all_lists_each_kind_newest_first_with_bc_years_negative(client, march_20):
    body = get(client, "all/03/20").json()
    assert [item["year"] for item in body["events"]] == [1995, 1815, -44]
    assert [item["text"] for item in body["births"]] == ["Ada Lovelace, mathematician"]
    assert [item["year"] for item in body["deaths"]] == [1727]
    # The draft and the next day's fact are not there.
    texts = json.dumps(body)
    assert "Not yet" not in texts and "Elsewhere" not in texts


def test_selected_is_the_featured_facts(client, march_20):
    body = get(client, "selected/03/20").json()
    assert [item["text"] for item in body["selected"]] == [march_20["featured"].summary]


def test_holidays_have_no_year(client, march_20):
    items = get(client, "holidays/03/20").json()["holidays"]
    assert items == [{"text": "World Storytelling Day", "pages": []}]


def test_pages_summarise_facts_that_have_an_article(client, march_20, settings):
    fact = march_20["featured"]
    items = get(client, "selected/03/20").json()["selected"]
    (page,) = items[0]["pages"]
    assert page["pageid"] == fact.pk
    assert page["title"] == page["titles"]["normalized"] == fact.slug
    assert page["titles"]["display"] == "Treaty of Paris"
    assert page["description"] == "Science"
    desktop = page["content_urls"]["desktop"]
    assert desktop["page"] == f"{settings.SITE_URL}/facts/{fact.slug}/"
    assert desktop["edit"].startswith(settings.SITE_URL + "/admin/")
    assert page["timestamp"].endswith("Z")
    # Facts without an article list no pages.
    events = get(client, "events/03/20").json()["events"]
    assert [len(item["pages"]) for item in events] == [0, 1, 1]


def test_an_edit_shows_at_once(client, march_20):
    assert get(client, "births/03/20").json()["births"][0]["text"] == "Ada Lovelace, mathematician"
    fact = march_20["birth"]
    fact.summary = "Ada King, Countess of Lovelace"
    fact.save()
    assert get(client, "births/03/20").json()["births"][0]["text"] == fact.summary


def test_an_empty_day_answers_empty_lists(client, db):
    body = get(client, "all/02/29").json()
    assert body == {"selected": [], "events": [], "births": [], "deaths": [], "holidays": []}


@pytest.mark.parametrize("path", ["all/3/20", "all/03/2", "all/003/20", "all/02/30",
                                  "all/13/01", "all/00/10", "all/04/31", "all/ab/01"])
def test_bad_dates_are_a_400_problem(client, db, path):
    response = get(client, path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert {"type", "title", "detail"} <= set(problem)


def test_february_30_names_the_problem(client, db):
    assert "February has no day 30" in get(client, "all/02/30").json()["detail"]


def test_an_unknown_type_is_a_404_problem(client, db):
    response = get(client, "weddings/03/20")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "weddings" in response.json()["detail"]


def wikipedia_client(base, kind, month, day):
    """A client as written for Wikipedia's REST API: it only knows the base address."""
    url = f"{base}/feed/onthisday/{kind}/{month:02d}/{day:02d}"
    with urllib.request.urlopen(url) as answer:
        data = json.load(answer)
    return [(item.get("year"), item["text"], [p["titles"]["normalized"] for p in item["pages"]])
            for item in data[kind]]


@pytest.mark.django_db(transaction=True)
def test_a_wikipedia_client_works_against_our_base_url(live_server, make_fact):
    fact = make_fact(title="Treaty of Paris", year=1815, featured=True, body="Signed.")
    make_fact(title="Older", year=-44)
    base = live_server.url + "/api/v1"
    assert wikipedia_client(base, "selected", 3, 20) == [(1815, fact.summary, [fact.slug])]
    events = wikipedia_client(base, "events", 3, 20)
    assert [year for year, _, _ in events] == [1815, -44]
    assert Fact.objects.count() == 2
