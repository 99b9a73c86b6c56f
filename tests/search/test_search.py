"""search(): ranking, syntax, filters and highlights, the same on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.utils import timezone

from dayfacts.facts.models import Status
from dayfacts.search import search


def titles(results):
    return [hit.fact.title for hit in results[:50]]


def test_a_title_match_ranks_above_a_match_deep_in_the_text(make_fact):
    make_fact("Harbour fire in Lisbon", body="Ships burned. A treaty with Japan was signed "
              "later that year by other envoys, far from the harbour.")
    make_fact("Treaty of San Francisco signed with Japan", year=1951)
    make_fact("Unrelated launch of a rocket")
    assert titles(search("treaty japan")) == [
        "Treaty of San Francisco signed with Japan", "Harbour fire in Lisbon"]


def test_words_match_other_forms_of_themselves(make_fact):
    make_fact("Two treaties signed in Paris")
    assert titles(search("treaty")) == ["Two treaties signed in Paris"]


def test_topics_are_searched(make_fact):
    make_fact("Final at Wembley ends in a draw", topics=["Football"])
    assert titles(search("football")) == ["Final at Wembley ends in a draw"]


def test_phrase_or_and_exclusion(make_fact):
    make_fact("Peace treaty signed in Paris")
    make_fact("Treaty of peace with Spain")
    make_fact("First landing on the Moon")
    assert titles(search('"peace treaty"')) == ["Peace treaty signed in Paris"]
    assert set(titles(search("treaty -paris"))) == {"Treaty of peace with Spain"}
    assert set(titles(search("spain or moon"))) == {
        "Treaty of peace with Spain", "First landing on the Moon"}


def test_hits_mark_the_matched_words_and_escape_the_text(make_fact):
    make_fact("Comet <b>seen</b> over Prague",
              summary="Astronomers in Prague watched the comet for nine nights.")
    hit = search("comet")[0]
    assert "<mark>Comet</mark>" in hit.title_html
    assert "&lt;b&gt;seen&lt;/b&gt;" in hit.title_html
    assert "<mark>comet</mark>" in hit.snippet_html


def test_filters_by_kind_topic_and_century(make_fact):
    make_fact("Composer born in Vienna", kind="birth", year=1756, topics=["Music"])
    make_fact("Opera house opens in Vienna", year=1869, topics=["Music"])
    make_fact("Vienna congress opens", year=1814)
    assert titles(search("vienna", kind="birth")) == ["Composer born in Vienna"]
    assert set(titles(search("vienna", topic="music"))) == {
        "Composer born in Vienna", "Opera house opens in Vienna"}
    assert set(titles(search("vienna", century=19))) == {
        "Opera house opens in Vienna", "Vienna congress opens"}
    assert titles(search("vienna", century=19, topic="music", kind="event")) == [
        "Opera house opens in Vienna"]


def test_centuries_count_from_year_one_on_both_sides_of_it(make_fact):
    make_fact("Caesar crosses the Rubicon", year=-49)
    make_fact("Rubicon mentioned by a poet", year=-100)
    make_fact("Rubicon bridge rebuilt", year=-101)
    make_fact("Rubicon town founded", year=1)
    make_fact("Rubicon fair of 2000", year=2000)
    make_fact("Rubicon fair of 2001", year=2001)
    assert set(titles(search("rubicon", century=-1))) == {
        "Caesar crosses the Rubicon", "Rubicon mentioned by a poet"}
    assert titles(search("rubicon", century=-2)) == ["Rubicon bridge rebuilt"]
    assert titles(search("rubicon", century=1)) == ["Rubicon town founded"]
    assert titles(search("rubicon", century=20)) == ["Rubicon fair of 2000"]


def test_only_what_readers_may_see_is_found(make_fact):
    now = timezone.now()
    make_fact("Glacier draft note", status=Status.DRAFT)
    make_fact("Glacier piece for tomorrow", status=Status.SCHEDULED,
              publish_at=now + dt.timedelta(days=1))
    make_fact("Glacier piece of yesterday", status=Status.SCHEDULED,
              publish_at=now - dt.timedelta(hours=1))
    assert titles(search("glacier")) == ["Glacier piece of yesterday"]
    later = search("glacier", now=now + dt.timedelta(days=2))
    assert set(titles(later)) == {"Glacier piece of yesterday", "Glacier piece for tomorrow"}


def test_pages_slice_the_ranked_hits(make_fact):
    for n in range(25):
        make_fact(f"Lighthouse number {n} lit", notability=n)
    results = search("lighthouse")
    assert results.count() == 25
    first, second = results.page(1), results.page(2)
    assert len(first.object_list) == 20 and len(second.object_list) == 5
    # Equal scores fall back to notability, so the order is the editors' order.
    assert first.object_list[0].fact.title == "Lighthouse number 24 lit"
    assert {h.fact.pk for h in first}.isdisjoint({h.fact.pk for h in second})
    assert results.page("999").number == 2


def test_a_search_matching_more_than_the_rank_limit_ranks_that_many_and_says_so(
        make_fact, settings):
    settings.DAYFACTS_SEARCH_RANK_LIMIT = 10
    for n in range(12):
        make_fact(f"Harbour number {n} dredged", notability=n)
    make_fact("Harbour with an unpublished plan", status="draft")
    results = search("harbour")
    assert results.count() == 10 and results.more
    pages = [results.page(1, 4), results.page(3, 4)]
    assert pages[1].paginator.num_pages == 3 and len(pages[1].object_list) == 2
    ranked = [hit.fact.title for page in pages for hit in page]
    assert "Harbour with an unpublished plan" not in ranked
    # Within what is ranked, the order is still the ranking's (here: notability).
    notabilities = [int(title.split()[2]) for title in ranked[:4]]
    assert notabilities == sorted(notabilities, reverse=True)
    assert not search("harbour", kind="birth").more
    settings.DAYFACTS_SEARCH_RANK_LIMIT = 12
    exactly = search("harbour")
    assert exactly.count() == 12 and not exactly.more


def test_suggestions_correct_a_misspelt_word(make_fact):
    make_fact("Earthquake shakes Lisbon")
    results = search("erthquake lisbon")
    assert results.count() == 0
    assert results.suggestions() == ["earthquake lisbon"]


def test_no_suggestions_for_words_nothing_resembles(make_fact):
    make_fact("Earthquake shakes Lisbon")
    assert search("zzxqv").suggestions() == []


def test_bad_filters_are_refused_clearly(db):
    with pytest.raises(ValueError, match="Unknown kind"):
        search("moon", kind="party")
    with pytest.raises(ValueError, match="no century 0"):
        search("moon", century=0)
