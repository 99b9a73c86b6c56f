"""The rounds: pairs of a day's notable dated events, different years, the same for everyone."""

from django.core.cache import cache

from dayfacts.days import MonthDay
from dayfacts.pagecache import generation
from dayfacts.play.rounds import draw, rounds_for

MARCH_20 = MonthDay(3, 20)


def titles(rounds):
    return [(item.first.title, item.second.title) for item in rounds]


def test_five_rounds_of_two_events_of_different_years(march_20):
    rounds = rounds_for(MARCH_20)
    assert [item.number for item in rounds] == [1, 2, 3, 4, 5]
    shown = {title for pair in titles(rounds) for title in pair}
    assert shown <= {fact.title for fact in march_20}, "only the day's published dated events"
    for item in rounds:
        assert item.first.year != item.second.year
        earlier = item.entry(item.earlier)
        later = item.entry(3 - item.earlier)
        assert earlier.year < later.year


def test_no_event_is_shown_twice_while_fresh_ones_remain(march_20):
    shown = [title for pair in titles(rounds_for(MARCH_20)) for title in pair]
    assert len(shown) == len(set(shown)) == 10


def test_the_same_rounds_for_every_reader(march_20):
    first = rounds_for(MARCH_20)
    generation.bump()
    cache.clear()
    assert draw(MARCH_20) == first
    # Other days draw other rounds from their own events.
    assert draw(MonthDay(3, 21)) == []


def test_only_the_most_notable_events_are_drawn_from(make_fact):
    for n in range(40):
        make_fact(title=f"Event {n}", year=1000 + n, notability=n)
    shown = {title for pair in titles(rounds_for(MARCH_20)) for title in pair}
    assert shown <= {f"Event {n}" for n in range(20, 40)}


def test_a_bc_year_comes_before_an_ad_one(make_fact):
    make_fact(title="Caesar is killed", year=-44)
    make_fact(title="Augustus dies", year=14)
    (only,) = rounds_for(MARCH_20)
    assert only.entry(only.earlier).title == "Caesar is killed"
    assert only.entry(only.earlier).year_display == "44 BC"


def test_few_events_make_as_many_rounds_as_there_are_pairs(make_fact):
    for year in (1900, 1950, 2000):
        make_fact(year=year)
    rounds = rounds_for(MARCH_20)
    assert len(rounds) == 3
    assert len(set(titles(rounds))) == 3


def test_events_of_one_year_make_no_game(make_fact):
    make_fact(title="Morning", year=1900)
    make_fact(title="Evening", year=1900)
    make_fact(title="Someone is born", year=1950, kind="birth")
    assert rounds_for(MARCH_20) == []
