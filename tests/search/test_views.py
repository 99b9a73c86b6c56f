"""/search/ as a reader uses it."""

import pytest

from dayfacts.facts.models import Topic


@pytest.fixture
def almanac(make_fact):
    make_fact("Treaty of San Francisco signed with Japan", year=1951, topics=["Diplomacy"],
              summary="Forty-nine nations sign a peace treaty with Japan.")
    make_fact("Japan joins the United Nations", year=1956, topics=["Diplomacy"])
    make_fact("Emperor of Japan born", year=-711, kind="birth")


def test_results_are_ranked_marked_and_link_to_facts_days_and_years(client, almanac):
    page = client.get("/search/", {"q": "treaty japan"}).content.decode()
    assert "1 result." in page
    assert '<a href="/facts/treaty-of-san-francisco-signed-with-japan-1951/">' \
           "<mark>Treaty</mark> of San Francisco signed with <mark>Japan</mark></a>" in page
    assert '<a href="/years/1951/">1951</a>' in page
    assert '<a href="/march/20/">March 20</a>' in page


def test_a_hits_dateline_names_its_kind_and_topics_escaped(client, make_fact):
    Topic.objects.create(name="Music & <Stage>", slug="music-stage")
    make_fact("Opera <premiere> in Milan", year=-44, kind="holiday", topics=["Music & <Stage>"])
    page = client.get("/search/", {"q": "opera"}).content.decode()
    assert "<mark>Opera</mark> &lt;premiere&gt; in Milan</a>" in page
    assert ('<a href="/years/44-bc/">44 BC</a> · Holiday'
            ' · <a href="/topics/music-stage/">Music &amp; &lt;Stage&gt;</a></p>'
            in page)


def test_filters_narrow_and_keep_their_values(client, almanac):
    page = client.get("/search/", {"q": "japan", "kind": "birth"}).content.decode()
    assert "1 result." in page and "Emperor of" in page
    assert '<a href="/years/711-bc/">711 BC</a>' in page
    assert '<option value="birth" selected>' in page
    page = client.get("/search/", {"q": "japan", "century": "20", "topic": "diplomacy"})
    assert "2 results." in page.content.decode()


def test_the_topic_filter_offers_the_topics_as_they_are_now(client, almanac):
    assert '<option value="diplomacy">Diplomacy</option>' in client.get("/search/").content.decode()
    topic = Topic.objects.get(slug="diplomacy")
    topic.name = "Foreign affairs"
    topic.save()
    Topic.objects.create(name="Sport", slug="sport")
    page = client.get("/search/").content.decode()
    assert '<option value="diplomacy">Foreign affairs</option>' in page
    assert '<option value="sport">Sport</option>' in page
    assert ">Diplomacy<" not in page


def test_pagination_links_keep_the_filters(client, make_fact):
    for n in range(23):
        make_fact(f"Regatta number {n}", kind="event")
    page = client.get("/search/", {"q": "regatta", "kind": "event"}).content.decode()
    assert "23 results, page 1 of 2." in page
    assert 'href="?q=regatta&amp;kind=event&amp;page=2"' in page
    second = client.get("/search/", {"q": "regatta", "kind": "event", "page": "2"})
    assert second.content.decode().count('class="search-hit"') == 3


def test_nothing_found_offers_a_spelling_and_dropping_the_filters(client, almanac):
    page = client.get("/search/", {"q": "japn"}).content.decode()
    assert "Nothing matches" in page
    assert 'Did you mean <a href="?q=japan">japan</a>?' in page
    page = client.get("/search/", {"q": "treaty", "kind": "death"}).content.decode()
    assert '1 result without them</a>' in page


@pytest.mark.parametrize("params", [
    {"q": "japan", "kind": "party"}, {"q": "japan", "century": "abc"},
    {"q": "japan", "century": "0"}, {"q": "japan", "topic": "nope"},
    {"q": "japan", "page": "-3"}, {"q": "x" * 500}, {"q": '"((( NOT'},
])
def test_bad_input_is_an_answer_not_an_error(client, almanac, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    page = response.content.decode()
    if set(params) - {"q", "page"} or len(params["q"]) > 200:
        assert 'class="errorlist' in page
        assert f'value="{params["q"][:50]}' in page


def test_an_empty_search_shows_the_form_only(client, almanac):
    page = client.get("/search/", {"q": "  "}).content.decode()
    assert 'name="q"' in page and "result" not in page.split("<form", 2)[2].split("</form>")[1]


def test_a_search_past_the_rank_limit_asks_for_a_narrower_one(client, make_fact, settings):
    settings.DAYFACTS_SEARCH_RANK_LIMIT = 3
    for n in range(5):
        make_fact(f"Regatta number {n} sailed")
    page = client.get("/search/", {"q": "regatta"}).content.decode()
    assert "More than 3 results" in page and "Add a word or a filter" in page
    answer = client.get("/api/v1/search", {"q": "regatta"}).json()
    assert answer["count"] == 3 and answer["more"] is True
    assert client.get("/api/v1/search", {"q": "regatta", "kind": "birth"}).json()["more"] is False
