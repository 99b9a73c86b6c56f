"""A real browser (Debian's chromium) fills the form wrongly, reads the messages, then posts."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs chromium at /usr/bin/chromium"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are synchronous and safe, so Django's guard against async use is lifted here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(transactional_db, live_server, fact):
    return live_server.url + fact.get_absolute_url()


def field(page, name):
    return page.locator(f'#commentform [data-field="{name}"]')


def test_wrong_then_right_in_place_with_javascript(browser, site):
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.goto(site)
    form = page.locator("#commentform")
    form.locator("#comment-text").fill("The parade was in my grandmother's town.")
    form.get_by_role("button", name="Post Comment").click()

    expect(field(page, "name").locator(".errorlist")).to_have_text("Please fill out this field.")
    expect(field(page, "email").locator(".errorlist")).to_have_text("Please fill out this field.")
    expect(field(page, "consent").locator(".errorlist")).to_have_text(
        "You need to agree with the terms to proceed.")
    expect(form.locator("#comment-text")).to_have_value("The parade was in my grandmother's town.")
    assert page.url == site  # posted in place: no page load

    form.locator("#comment-name").fill("Grace Visitor")
    form.locator("#comment-email").fill("grace.example.org")
    form.get_by_role("button", name="Post Comment").click()
    expect(field(page, "email").locator(".errorlist")).to_have_text(
        "Please enter a valid email address.")
    expect(field(page, "name").locator(".errorlist")).to_have_count(0)
    expect(form.locator("#comment-name")).to_have_value("Grace Visitor")
    expect(form.locator("#comment-email")).to_have_value("grace.example.org")
    expect(form.locator("#comment-text")).to_have_value("The parade was in my grandmother's town.")

    form.locator("#comment-email").fill("grace@example.org")
    form.locator("#comment-consent").check()
    form.get_by_role("button", name="Post Comment").click()
    posted = page.locator(".comment-list .comment").first
    expect(posted.locator(".comment-awaiting")).to_have_text("Your comment is awaiting moderation.")
    expect(posted.locator(".comment-text")).to_have_text("The parade was in my grandmother's town.")
    expect(page.locator("[data-comment-notice]")).to_contain_text("awaiting moderation")
    expect(page.locator("#commentform .errorlist")).to_have_count(0)

    page.reload()  # the signed cookie keeps it visible to its author
    expect(page.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    stranger = browser.new_context().new_page()
    stranger.goto(site)
    expect(stranger.locator(".comment-list .comment")).to_have_count(0)
    assert "grandmother" not in stranger.content()


def test_wrong_then_right_without_javascript(browser, site):
    from playwright.sync_api import expect

    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(site)
    form = page.locator("#commentform")
    form.locator("#comment-text").fill("Without scripts.")
    form.locator("#comment-email").fill("nope")
    form.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Your comment is not posted yet")
    expect(field(page, "email").locator(".errorlist")).to_have_text(
        "Please enter a valid email address.")
    expect(field(page, "name").locator(".errorlist")).to_have_text("Please fill out this field.")
    expect(form.locator("#comment-text")).to_have_value("Without scripts.")

    form.locator("#comment-name").fill("No Script")
    form.locator("#comment-email").fill("noscript@example.org")
    form.locator("#comment-consent").check()
    form.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(f"{site}#comment-*")
    expect(page.get_by_text("Your comment is awaiting moderation.")).to_be_visible()




def test_reply_in_place_nests_under_the_comment(browser, site, fact):
    from playwright.sync_api import expect

    from dayfacts.comments.cookies import AUTHOR
    from tests.comments.conftest import author_cookie, make_comment

    parent = make_comment(fact, name="Ada Reader", text="The first word.")
    older = make_comment(fact, name="Grace", email="grace@example.org",
                         text="An older approved one.")
    context = browser.new_context()
    # This browser wrote Grace's approved comment: she is a known commenter here.
    context.add_cookies([{"name": AUTHOR, "value": author_cookie(older)[AUTHOR].value,
                          "domain": urlsplit(site).hostname, "path": "/"}])
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="Reply to Ada Reader").click()
    # The form now sits under Ada's comment, replying to it.
    expect(page.locator(f"#comment-{parent.pk} #commentform")).to_have_count(1)
    expect(page.locator("[data-replying-to]")).to_be_visible()
    form = page.locator("#commentform")
    form.locator("#comment-text").fill("A reply, in place.")
    form.locator("#comment-name").fill("Grace")
    form.locator("#comment-email").fill("grace@example.org")
    form.locator("#comment-consent").check()
    form.get_by_role("button", name="Post Comment").click()
    reply = page.locator(f"#comment-{parent.pk} > ol.children > li.comment")
    expect(reply.locator(".comment-text")).to_have_text("A reply, in place.")
    expect(reply.locator(".comment-awaiting")).to_have_count(0)  # a known commenter
    expect(page.locator(f"#comment-{parent.pk} #commentform")).to_have_count(0)  # back home
