"""Wikipedia's on-this-day data: muffinlabs day files and the REST feed."""

import re

import pytest

from dayfacts.facts.models import Fact
from dayfacts.interchange.formats.wikipedia import read_year

pytestmark = pytest.mark.django_db


def item(year, text):
    return {"year": year, "text": text, "html": "", "no_year_html": "", "links": []}


DIRTY_DAY = {
    "date": "March 20",
    "url": "https://wikipedia.org/wiki/March_20",
    "data": {
        "Events": [
            item("235", "Maximinus Thrax is proclaimed emperor.[3]"),
            item("46 BC", "Julius Caesar wins a battle.[citation needed]"),
            item("1425 (or 1426)", "A castle is finished."),
            item("1882 (O.S. 27 March)", "A treaty is signed."),
            item("2013.", "A bridge opens."),
            item("before 160", "A city is founded."),
        ],
        "Births": [
            item("1928\u00a0", "Fred Rogers, American television host (d. 2003)"),
            item("2018 \u2013Someone Else, British mathematician (b.1929)[4]", None),
            item("1988 \u2013", None),
        ],
        "Deaths": [
            item("1986", "Space Shuttle Challenger crew\nAstronaut One (b. 1944)"),
            item("Astronaut One, American astronaut (b. 1944)", None),
            item("- Astronaut Two, American astronaut (b. 1949)", None),
            item("1990", "Someone, painter (b. 1900)"),
            item("Stray line without a year", None),
        ],
    },
}


@pytest.mark.parametrize("raw, year", [
    ("1431", 1431), ("46 BC", -46), ("27 BCE", -27), ("4 AD", 4), ("2013.", 2013),
    ("1685[5]", 1685), ("1425 (or 1426)", 1425), ("543 or 547", 543), ("1093/1094", 1093),
    ("1882 (O.S. 27 March)", 1882), ("1642 (OS)", 1642), ("1928\u00a0", 1928), (-44, -44),
])
def test_dirty_years_are_read(raw, year):
    assert read_year(raw) == year


@pytest.mark.parametrize("raw", ["before 160", "", None, "0", "soon"])
def test_what_is_not_one_year_is_refused(raw):
    with pytest.raises(ValueError):
        read_year(raw)


def test_a_dirty_day_file_imports_what_can_be_read_and_names_the_rest(run_import, write):
    path = write("03-20.json", DIRTY_DAY)
    report = run_import("muffinlabs", path)
    facts = {(f.kind, f.year, f.title) for f in Fact.objects.all()}
    assert facts == {
        ("event", 235, "Maximinus Thrax is proclaimed emperor."),
        ("event", -46, "Julius Caesar wins a battle."),
        ("event", 1425, "A castle is finished."),
        ("event", 1882, "A treaty is signed."),
        ("event", 2013, "A bridge opens."),
        ("birth", 1928, "Fred Rogers, American television host (d. 2003)"),
        ("birth", 2018, "Someone Else, British mathematician (b.1929)"),
        ("death", 1986, "Space Shuttle Challenger crew"),
        ("death", 1986, "Astronaut One, American astronaut (b. 1944)"),
        ("death", 1986, "Astronaut Two, American astronaut (b. 1949)"),
        ("death", 1990, "Someone, painter (b. 1900)"),
    }
    assert "03-20.json, Events, item 5: cannot be read: the year 'before 160'" in report
    assert "03-20.json, Births, item 2: cannot be read: no text after the year" in report
    assert "03-20.json, Deaths, item 4: cannot be read: no year and text" in report
    assert re.search(r"total\s+│\s+11 │\s+0 │\s+0 │\s+3 │\s+0", report)


def test_each_fact_carries_licence_attribution_and_link(run_import, write, client):
    run_import("muffinlabs", write("03-20.json", DIRTY_DAY))
    fact = Fact.objects.get(year=235)
    assert (fact.month, fact.day) == (3, 20) and fact.is_published
    assert fact.licence == "CC BY-SA 3.0" and fact.source_name == "Wikipedia"
    assert "Wikipedia contributors" in fact.attribution
    assert fact.source_url == "https://wikipedia.org/wiki/March_20"
    page = client.get(fact.get_absolute_url()).content.decode()
    assert "Wikipedia contributors, via history.muffinlabs.com" in page
    assert "CC BY-SA 3.0" in page and 'href="https://wikipedia.org/wiki/March_20"' in page


def test_lists_credit_wikipedia_once_below_the_entries(run_import, write, client):
    run_import("muffinlabs", write("03-20.json", DIRTY_DAY))
    credit = ("Entries from Wikipedia: Wikipedia contributors, via history.muffinlabs.com "
              "(CC BY-SA 3.0).")
    for url in ("/march/20/", "/march/20/births/"):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url).content.decode()))
        assert text.count(credit) == 1, url
    assert "Entries from" not in client.get("/march/21/").content.decode()


def test_importing_again_changes_nothing(run_import, write, database_state):
    path = write("03-20.json", DIRTY_DAY)
    run_import("muffinlabs", path)
    before = database_state()
    report = run_import("muffinlabs", path)
    assert database_state() == before
    assert re.search(r"total\s+│\s+0 │\s+0 │\s+11 │", report)


def test_a_file_that_is_not_a_day_file_is_refused_by_name(run_import, write, database_state):
    from django.core.management import CommandError

    good = write("days/03-20.json", DIRTY_DAY)
    write("days/03-21.json", {"events": []})
    before = database_state()
    with pytest.raises(CommandError, match=r"03-21.json: not a muffinlabs day file"):
        run_import("muffinlabs", good.parent)
    assert database_state() == before
    report = run_import("muffinlabs", "--skip-bad", good.parent)
    assert Fact.objects.count() == 11 and "03-21.json: not a muffinlabs day file" in report


FEED = {
    "selected": [{"text": "The Senate ratifies a treaty.", "year": 1952,
                  "pages": [{"content_urls": {"desktop": {
                      "page": "https://en.wikipedia.org/wiki/Security_Treaty"}}}]}],
    "events": [{"text": "The Senate ratifies a treaty.", "year": 1952, "pages": []},
               {"text": "Caesar crosses a river.", "year": -49, "pages": []},
               {"text": "No year here.", "pages": []}],
    "births": [{"text": "Someone, writer (d. 1990)", "year": 1920, "pages": []}],
    "deaths": [{"text": "Someone else, singer (b. 1900)", "year": 1980, "pages": []}],
    "holidays": [{"text": "Earliest day on which Easter can fall", "pages": []}],
}


def test_rest_feed_files_import_every_section(run_import, write):
    report = run_import("wikipedia", write("feed/03-20.json", FEED).parent)
    facts = {(f.kind, f.year, f.title, f.notability) for f in Fact.objects.all()}
    assert facts == {
        ("event", 1952, "The Senate ratifies a treaty.", 10),
        ("event", -49, "Caesar crosses a river.", 0),
        ("birth", 1920, "Someone, writer (d. 1990)", 0),
        ("death", 1980, "Someone else, singer (b. 1900)", 0),
        ("holiday", None, "Earliest day on which Easter can fall", 0),
    }
    treaty = Fact.objects.get(year=1952)
    assert treaty.source_url == "https://en.wikipedia.org/wiki/Security_Treaty"
    assert treaty.licence == "CC BY-SA 4.0" and treaty.attribution == "Wikipedia contributors"
    assert "03-20.json, events, item 2: cannot be read: the item has no year" in report
    assert "skipped 1: duplicate in the input" in report


def test_a_feed_file_must_say_its_day_in_its_name(run_import, write):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"feed.json: cannot tell the day"):
        run_import("wikipedia", write("feed.json", FEED))


@pytest.mark.slow
def test_the_whole_shared_set_imports(shared_data, run_import):
    folder = shared_data / "wikipedia-onthisday"
    report = run_import("muffinlabs", folder, "-v", "2")
    total = Fact.objects.count()
    # About 133k items; the few the scraper broke beyond repair are listed, not lost.
    assert total > 130_000
    assert Fact.objects.events().count() > 17_000 and Fact.objects.births().count() > 78_000
    listed = re.findall(r"^\s+(\d\d-\d\d\.json), (Events|Births|Deaths), item (\d+): (.+)$",
                        report, re.M)
    skipped = int(re.search(r"total\s+│\s+\d+ │\s+0 │\s+0 │\s+(\d+) │\s+0", report).group(1))
    assert listed and len(listed) <= skipped
    assert Fact.objects.filter(month=2, day=29).exists()
    assert not Fact.objects.filter(licence="").exists()
    assert Fact.objects.filter(year__lt=0).count() > 100
