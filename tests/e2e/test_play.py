"""The daily game in a real browser: five rounds in place with JavaScript, and five through
plain forms without it."""

import json
import re

import pytest
from playwright.sync_api import expect

from dayfacts.days import MonthDay
from dayfacts.play.rounds import rounds_for

from .conftest import published
from .test_accessibility import violations

WRONG_IN = 3  # the round each test answers wrongly: 4 of 5


@pytest.fixture
def game(site):
    """Today's game of five rounds: the almanac's events and eight more."""
    today = MonthDay.today()
    for n, year in enumerate([1215, 1492, 1648, 1776, 1815, 1848, 1914, 1969]):
        published(month=today.month, day=today.day, year=year, notability=50 - n,
                  title=f"Event of {today.name}, number {n}", slug=f"game-event-{n}")
    rounds = rounds_for(today)
    assert len(rounds) == 5
    return today, rounds


def pick_for(item):
    return 3 - item.earlier if item.number == WRONG_IN else item.earlier


def test_five_rounds_in_place_with_javascript_keep_the_score_in_the_browser(browser, site, game):
    today, rounds = game
    context = browser.new_context()
    page = context.new_page()
    asked, refused = [], []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(site + "/play/")
    expect(page.locator("h1")).to_contain_text(today.long_name)
    for item in rounds:
        expect(page.locator('[data-slot="round"]')).to_have_text(str(item.number))
        choice = page.locator(f'button[name="pick"][value="{pick_for(item)}"]')
        expect(choice).to_have_text(item.entry(pick_for(item)).title)
        choice.click()
        verdict = page.locator(".play-verdict")
        expect(verdict).to_have_text("Not quite." if item.number == WRONG_IN else "Right!")
        # Focus moves to the answer (the score, after the last), so a screen reader reads it.
        focused = ".play-verdict" if item.number < len(rounds) else ".play-final h2"
        assert page.evaluate(f"() => document.activeElement.matches('{focused}')")
        pair = page.locator(".play-pair li")
        earlier = item.entry(item.earlier)
        expect(pair.nth(0)).to_contain_text(f"{earlier.year_display} {earlier.title}")
        expect(pair.nth(0).locator("a")).to_have_attribute("href", earlier.url)
        if item.number < len(rounds):
            page.get_by_role("button", name="Next round").click()
    assert page.url == site + "/play/", "answered in place"
    assert not [url for url in asked if "/answer/" in url]
    expect(page.locator(".play-final h2")).to_have_text("You scored 4 out of 5")
    expect(page.locator("#play-share")).to_have_value(f"dayfacts {today.name}: 4/5")
    expect(page.locator('[data-slot="streak"]')).to_have_text("Streak: 1 day.")
    expect(page.locator(".play-history li")).to_have_count(1)
    expect(page.locator(".play-history li")).to_contain_text(f"{today.name}: 4/5")

    kept = json.loads(page.evaluate("localStorage.getItem('dayfacts.play')"))
    assert [(game["day"], game["score"], game["of"]) for game in kept["games"]] == [
        (today.numeric, 4, 5)]
    assert context.cookies() == [], "nothing for the server to read"
    assert refused == [], "the script runs under the site's policy"

    page.reload()
    expect(page.locator("#play-record")).to_have_text("Your streak: 1 day. Keep it going tomorrow.")
    context.close()


def test_a_streak_counts_the_days_played_in_a_row(browser, site, game):
    today, rounds = game
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/play/")
    # Played yesterday and the day before, in this browser's own calendar.
    page.evaluate("""() => {
        const day = (back) => { const d = new Date(); d.setDate(d.getDate() - back);
            return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-'
                + String(d.getDate()).padStart(2, '0'); };
        localStorage.setItem('dayfacts.play', JSON.stringify({days: [day(2), day(1)],
            games: [{played: day(1), day: '01-01', name: 'January 1', score: 5, of: 5}]}));
    }""")
    page.reload()
    expect(page.locator("#play-record")).to_have_text("Your streak: 2 days in a row.")
    for item in rounds:
        page.locator('button[name="pick"][value="1"]').click()
        if item.number < len(rounds):
            page.get_by_role("button", name="Next round").click()
    expect(page.locator('[data-slot="streak"]')).to_have_text("Streak: 3 days in a row.")
    expect(page.locator(".play-history li")).to_have_count(2)
    expect(page.locator(".play-history li").nth(1)).to_contain_text("January 1: 5/5")
    context.close()


def test_five_rounds_without_javascript_through_plain_forms(browser, site, game):
    today, rounds = game
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/play/")
    for item in rounds:
        page.locator(f'button[name="pick"][value="{pick_for(item)}"]').click()
        expect(page).to_have_url(re.compile(
            rf"/play/{today.path}/answer/\?round={item.number}&score=\d&pick=\d$"))
        expect(page.locator(".play-verdict")).to_have_text(
            "Not quite." if item.number == WRONG_IN else "Right!")
        later = item.entry(3 - item.earlier)
        expect(page.locator(".play-pair li").nth(1)).to_contain_text(
            f"{later.year_display} {later.title}")
        if item.number < len(rounds):
            page.get_by_role("link", name="Next round").click()
            expect(page.locator(".play-progress")).to_contain_text(f"Round {item.number + 1} of 5")
    expect(page.locator(".play-final h2")).to_have_text("You scored 4 out of 5")
    expect(page.locator("#play-share")).to_have_value(f"dayfacts {today.name}: 4/5")
    # The score and history need the script: without it nothing is kept anywhere.
    expect(page.locator('[data-slot="record"]')).to_be_hidden()
    page.locator(".play-pair a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert context.cookies() == []
    context.close()


def test_the_game_and_the_embeds_have_no_serious_accessibility_problem(browser, site, game, axe):
    today, rounds = game
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/play/")
    assert violations(page, axe) == []
    for item in rounds:
        page.locator('button[name="pick"][value="2"]').click()
        if item.number < len(rounds):
            assert violations(page, axe) == [], f"round {item.number} answered"
            page.get_by_role("button", name="Next round").click()
    assert violations(page, axe) == [], "the final score"
    for address in [f"/play/{today.next.path}/",
                    f"/play/{today.path}/answer/?round=5&score=4&pick=1",
                    "/embed/", "/embed/today/"]:
        page.goto(site + address)
        assert violations(page, axe) == [], address
    context.close()
