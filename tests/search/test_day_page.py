"""The day page's timeline and today's round anniversaries."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from dayfacts.days.years import years_ago
from dayfacts.facts.anniversaries import round_years


def test_years_ago_skips_the_year_zero_that_never_was():
    today = dt.date(2026, 3, 20)
    assert years_ago(1951, today) == 75
    assert years_ago(1, today) == 2025
    assert years_ago(-1, today) == 2026
    assert years_ago(-44, today) == 2069
    assert years_ago(-75, today) == 2100


def test_round_years_cross_into_bc_without_a_year_zero():
    years = round_years(dt.date(2026, 3, 20))
    assert years[:3] == [2001, 1976, 1951]
    assert 1 in years and -25 in years and -75 in years and 0 not in years
    assert all(years_ago(year, dt.date(2026, 3, 20)) % 25 == 0 for year in years)


@pytest.fixture
def frozen(db):
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def dated(make_fact, title, year, **fields):
    return make_fact(title, year=year, publish_at=timezone.now() - dt.timedelta(days=1), **fields)


def test_todays_page_calls_out_round_anniversaries_bc_included(client, frozen, make_fact):
    dated(make_fact, "Peace signed in Lisbon", 1951, notability=5)
    dated(make_fact, "Bridge opened in Porto", 1976)
    dated(make_fact, "Ides of March conspiracy", -44)
    dated(make_fact, "Battle at the river", -75)
    dated(make_fact, "Tower finished", 1952)
    html = client.get("/").content.decode()
    box = html.split('<aside class="anniversaries"', 1)[1].split("</aside>", 1)[0]
    assert [m.group(1) for m in re.finditer(r"<strong[^>]*>(\d+) years ago", box)] == [
        "2100", "75", "50"]
    assert '<a href="/years/75-bc/">75 BC</a>' in box
    assert "Tower finished" not in box and "Ides of March" not in box
    # The 1951 fact leads the page; the others are listed with their own counts.
    assert re.search(r'class="ago round">50 years ago <strong class="anniversary">50th '
                     r"anniversary</strong>", html)
    assert re.search(r'class="ago">74 years ago</span>', html)
    assert "2069 years ago</span>" in html
    assert '<a href="/years/2026/">2026</a></time>' in html


def test_no_anniversary_box_on_a_day_page_or_without_round_years(client, frozen, make_fact):
    dated(make_fact, "Peace signed in Lisbon", 1951)
    assert "anniversaries" not in client.get("/march/20/").content.decode()
    assert "years ago" not in client.get("/march/20/").content.decode()


def test_february_28_in_a_common_year_counts_february_29s_anniversaries(client, make_fact):
    with time_machine.travel(dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        dated(make_fact, "Leap day launch", 1976, month=2, day=29)
        html = client.get("/").content.decode()
    assert "Round anniversaries today" in html and "Leap day launch" in html


def test_timeline_marks_each_entry_by_century_with_a_name_and_a_link(client, make_fact):
    first = make_fact("Senate meets in Rome", year=-44, body="An article.")
    make_fact("Comet seen over Kyoto", year=1066)
    make_fact("Rail line opens", year=1952)
    make_fact("Composer born", year=1951, kind="birth")
    make_fact("Holiday with no year", year=None, kind="holiday")
    html = client.get("/march/20/").content.decode()
    figure = html.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    labels = re.findall(r'<text class="timeline-label"[^>]*>([^<]+)</text>', figure)
    assert labels == ["1st BC", "11th", "20th"]
    marks = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"><title>\2</title><circle',
                       figure)
    assert len(marks) == 4
    assert (first.get_absolute_url(), "44 BC: Senate meets in Rome (Event)") in marks
    assert "Holiday with no year" not in figure
    assert 'role="group" aria-labelledby="timeline-caption"' in figure
    assert "<script" not in figure and " style=" not in figure


def test_entries_and_timeline_write_markup_in_a_title_as_text(client, make_fact):
    make_fact("Headline of the day", year=1900, featured=True)
    fact = make_fact("Fish & chips <b>served</b>", year=1952, summary="Salt & <i>vinegar</i>",
                     body="An article.")
    html = client.get("/march/20/").content.decode()
    assert "<b>" not in html and "<i>" not in html
    assert (f'<span class="entry-text"><a href="{fact.get_absolute_url()}">'
            "Fish &amp; chips &lt;b&gt;served&lt;/b&gt;</a> "
            '<span class="entry-summary">Salt &amp; &lt;i&gt;vinegar&lt;/i&gt;</span></span>'
            ) in html
    label = "1952: Fish &amp; chips &lt;b&gt;served&lt;/b&gt; (Event)"
    assert f'aria-label="{label}"><title>{label}</title>' in html


def test_no_timeline_for_a_day_with_no_dated_entries(client, make_fact):
    make_fact("Holiday with no year", year=None, kind="holiday")
    assert '<figure class="timeline">' not in client.get("/march/20/").content.decode()


def test_a_crowded_century_widens_instead_of_overflowing(make_fact):
    from dayfacts.facts.timeline import ROWS, layout

    facts = [make_fact(f"Entry {n}", year=1901 + n) for n in range(ROWS * 2 + 1)]
    timeline = layout(facts)
    assert [len(c.marks) for c in timeline.columns] == [ROWS * 2 + 1]
    assert len({(m.x, m.y) for m in timeline.marks}) == ROWS * 2 + 1
    assert all(0 < m.y < timeline.baseline and 0 < m.x < timeline.width for m in timeline.marks)
