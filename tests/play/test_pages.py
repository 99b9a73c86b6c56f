"""The game's pages as a reader without JavaScript plays them: plain GET forms and links."""

import datetime as dt
import json
import re
from html import unescape

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dayfacts.days import MonthDay
from dayfacts.newsletter.editions import render_edition
from dayfacts.play.rounds import rounds_for

MARCH_20 = MonthDay(3, 20)
FORM = re.compile(r'<form class="play-round" action="([^"]+)" method="get">(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
NEXT = re.compile(r'<a class="button" href="([^"]+)">Next round</a>')


def answer_address(page):
    """The form's address and the hidden fields it sends with the pick."""
    action, body = FORM.search(page).groups()
    return action, dict(HIDDEN.findall(body))


def play(client, start, picks):
    """Play from `start`, choosing in each round by `picks(round)` (1 or 2); return the pages."""
    page = client.get(start).content.decode()
    answers = []
    rounds = rounds_for(MARCH_20)
    for item in rounds:
        action, fields = answer_address(page)
        assert fields["round"] == str(item.number)
        response = client.get(action, {**fields, "pick": picks(item)})
        assert response.status_code == 200
        answer = response.content.decode()
        answers.append(answer)
        following = NEXT.search(answer)
        if item.number < len(rounds):
            page = client.get(unescape(following.group(1))).content.decode()
        else:
            assert following is None
    return answers


def test_five_rounds_without_javascript_end_with_a_score_to_share(client, march_20):
    wrong_in = {2}
    answers = play(client, "/play/march/20/",
                   lambda item: 3 - item.earlier if item.number in wrong_in else item.earlier)
    assert len(answers) == 5
    for number, answer in enumerate(answers, start=1):
        verdict = "Not quite." if number in wrong_in else "Right!"
        assert f'tabindex="-1">{verdict}</h2>' in answer
    final = answers[-1]
    assert "You scored <span data-slot=\"points\">4</span> out of 5" in final
    share = re.search(r'id="play-share" type="text" readonly value="([^"]*)"', final).group(1)
    assert share == "dayfacts March 20: 4/5"
    assert "Event of" not in share


def test_the_answer_shows_both_years_in_order_and_links_to_both_entries(client, march_20):
    item = rounds_for(MARCH_20)[0]
    earlier, later = item.entry(item.earlier), item.entry(3 - item.earlier)
    page = client.get("/play/march/20/answer/",
                      {"round": 1, "score": 0, "pick": 3 - item.earlier}).content.decode()
    assert "Not quite." in page and "Score 0" in page
    first, second = page.index(earlier.title), page.index(later.title)
    assert first < second
    for entry in (earlier, later):
        assert f'<span class="play-year" data-slot="year">{entry.year_display}</span> ' \
               f'<a href="{entry.url}">{entry.title}</a>' in page
    # The reader's own pick is marked, the other is not.
    assert re.search(re.escape(later.title) + r'</a> <span class="play-picked">your pick', page)
    assert re.search(re.escape(earlier.title) + r'</a> <span class="play-picked" hidden>', page)
    assert client.get(later.url).status_code == 200


def test_today_is_the_site_s_today_with_the_day_s_game_as_canonical(client, march_20, settings):
    settings.TIME_ZONE = "America/New_York"
    # 02:00 on March 21 in UTC is still March 20 in New York.
    with time_machine.travel(dt.datetime(2026, 3, 21, 2, 0, tzinfo=dt.UTC), tick=False):
        page = client.get("/play/").content.decode()
    assert "Today's game" in page and "March 20th" in page
    assert '<link rel="canonical" href="http://127.0.0.1:8000/play/march/20/">' in page
    assert 'action="/play/march/20/answer/"' in page


def test_a_day_without_two_years_of_events_gets_a_friendly_page(client, make_fact):
    make_fact(title="Only one", year=1900)
    response = client.get("/play/march/20/")
    assert response.status_code == 200
    assert b"There is no game for March 20 yet" in response.content
    assert b'href="/march/20/"' in response.content
    assert b'href="/play/march/21/"' in response.content
    assert client.get("/play/march/20/answer/?round=1&score=0&pick=1").status_code == 404


@pytest.mark.parametrize("query", [
    "round=0", "round=6", "round=01", "round=+1", "round=1.0", "round=%EF%BC%91",
    "round=2&round=2", "round=2&score=2", "score=1", "round=9999999999999999999999",
])
def test_a_round_that_does_not_exist_is_a_404(client, march_20, query):
    assert client.get(f"/play/march/20/?{query}").status_code == 404


@pytest.mark.parametrize("query", [
    "", "round=1&score=0", "round=1&score=0&pick=3", "round=1&score=0&pick=", "pick=1",
    "round=1&score=1&pick=1", "round=6&score=0&pick=1", "round=1&score=0&pick=1&pick=1",
])
def test_an_answer_to_nothing_is_a_404(client, march_20, query):
    assert client.get(f"/play/march/20/answer/?{query}").status_code == 404


def test_bad_days_are_404s(client, db):
    for path in ["/play/february/30/", "/play/march/020/", "/play/smarch/1/answer/"]:
        assert client.get(path).status_code == 404


def stored_pages():
    return sum(1 for key in caches["default"]._cache if "pagecache:page:" in key)


def test_pages_are_cached_once_for_everyone_and_junk_adds_nothing(client, march_20):
    first = client.get("/play/march/20/?round=2&score=1")
    assert first["Cache-Control"].startswith("public")
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    answer = client.get("/play/march/20/answer/?round=1&score=0&pick=1")
    stored = stored_pages()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/play/march/20/?score=1&utm_source=mail&round=2")
        answer_again = client.get("/play/march/20/answer/?pick=1&x=1&round=1&score=0")
    assert again.content == first.content
    assert answer_again.content == answer.content
    assert len(queries) == 0, "both pages came from the store"
    assert stored_pages() == stored, "no junk address was stored"


def test_the_page_carries_the_rounds_for_the_script_and_no_personal_state(client, march_20):
    page = client.get("/play/march/20/").content.decode()
    data = json.loads(re.search(r'<script id="play-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))
    assert data["share"] == "dayfacts March 20: {score}/5"
    assert len(data["rounds"]) == 5
    item = rounds_for(MARCH_20)[0]
    assert data["rounds"][0]["earlier"] == item.earlier
    assert data["rounds"][0]["entries"][0] == {
        "title": item.first.title, "year": item.first.year_display, "url": item.first.url}
    assert '<script src="/static/play/play.js" defer></script>' in page


def test_every_day_page_and_the_newsletter_link_to_the_game(client, march_20, settings):
    assert b'<a href="/play/march/20/">Play the daily game' in client.get("/march/20/").content
    _, html, text = render_edition("daily", dt.date(2026, 3, 20))
    assert f'href="{settings.SITE_URL}/play/march/20/"' in html
    assert f"{settings.SITE_URL}/play/march/20/" in text
    _, html, text = render_edition("weekly", dt.date(2026, 3, 16))
    assert f"{settings.SITE_URL}/play/" in html and f"{settings.SITE_URL}/play/" in text


def test_february_29_has_its_game_and_february_28_keeps_its_own(client, make_fact):
    for year in (1504, 1940, 1988):
        make_fact(month=2, day=29, year=year, title=f"Leap day {year}")
    make_fact(month=2, day=28, year=1900, title="February 28 alone")
    leap = client.get("/play/february/29/").content.decode()
    assert "Round <span data-slot=\"round\">1</span> of 3" in leap and "Leap day" in leap
    # Today's page shows Feb 29's entries on Feb 28 of a common year; the game is one day's.
    with time_machine.travel(dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC), tick=False):
        today = client.get("/play/").content.decode()
    assert "There is no game for February 28 yet" in today
