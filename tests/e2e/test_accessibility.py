"""axe-core finds no serious or critical accessibility problem on any kind of page."""

import pytest

from dayfacts.days import MonthDay


def page_types(almanac):
    """One address of each kind of page a reader can reach."""
    today = MonthDay.today()
    return {
        "today": "/",
        "day": f"/{today.path}/",
        "day list": f"/{today.path}/births/",
        "month": f"/{today.month_slug}/",
        "fact": almanac.get_absolute_url(),
        "topics": "/topics/",
        "topic": "/topics/science/",
        "year": "/years/1901/",
        "year BC": "/years/44-bc/",
        "search": "/search/?q=Lead",
        "newsletter sign-up": "/newsletter/",
        "check your inbox": "/newsletter/check-your-inbox/",
        "comment terms": "/comments/terms/",
        "not found": "/no-such-page/",
        "admin sign-in": "/admin/login/",
    }


def violations(page, axe):
    """Run axe-core in the page; return its serious and critical findings."""
    page.add_script_tag(content=axe)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]


class _AnyFact:
    def get_absolute_url(self):
        return ""


@pytest.mark.parametrize("kind", list(page_types(_AnyFact())))
def test_no_serious_or_critical_violation(browser, site, almanac, axe, kind):
    # The policy forbids inline scripts, and injecting axe is one: this context alone
    # bypasses it, as a browser extension would.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + page_types(almanac)[kind])
    assert violations(page, axe) == []
    context.close()


def test_the_comment_form_with_its_errors_shown(browser, site, almanac, axe):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + almanac.get_absolute_url())
    page.locator("#commentform").get_by_role("button", name="Post Comment").click()
    page.locator("#commentform .errorlist").first.wait_for()
    assert violations(page, axe) == []
    context.close()


def test_the_check_itself_catches_a_known_problem(browser, axe):
    """Guard against a check that passes on anything: an image without alt text is critical."""
    page = browser.new_page(bypass_csp=True)
    page.set_content('<!doctype html><html lang="en"><title>t</title><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>')
    assert any(finding.startswith("image-alt") for finding in violations(page, axe))
    page.close()
