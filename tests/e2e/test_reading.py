"""A reader's path: today, the days either side, and all of it by keyboard alone."""

from playwright.sync_api import expect

from dayfacts.days import MonthDay


def test_today_then_previous_and_next(browser, site):
    today = MonthDay.today()
    page = browser.new_page()
    page.goto(site + "/")
    expect(page.locator("h1")).to_contain_text(today.long_name)
    expect(page.get_by_text(f"Lead of {today.name}").first).to_be_visible()

    page.locator(".neighbours a[rel=next]").click()
    expect(page).to_have_url(f"{site}/{today.next.path}/")
    expect(page.locator("h1")).to_contain_text(today.next.long_name)

    page.locator(".neighbours a[rel=prev]").click()
    page.locator(".neighbours a[rel=prev]").click()
    expect(page).to_have_url(f"{site}/{today.previous.path}/")
    expect(page.get_by_text(f"Lead of {today.previous.name}").first).to_be_visible()
    page.close()


def test_keyboard_only_the_skip_link_comes_first_and_leads_to_the_content(browser, site):
    today = MonthDay.today()
    page = browser.new_page()
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    # Visible when focused, so a sighted keyboard user sees where they are.
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"

    # From the content, Tab reaches the next day's link; Enter follows it.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "next":
            break
    else:
        raise AssertionError("the next day's link is not reachable by keyboard")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/{today.next.path}/")
    page.close()


def test_pages_run_under_the_content_security_policy_without_violations(browser, site, almanac):
    """No script or style of ours is refused by the policy in a real browser."""
    page = browser.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in ["/", almanac.get_absolute_url(), "/topics/", "/newsletter/", "/search/?q=Lead"]:
        response = page.goto(site + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert refused == []
    page.close()
