"""The editors' calendar in a real browser: from the admin's index to a day's facts, and to
a new featured article whose day the calendar filled in."""

from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from dayfacts.days import MonthDay

from .test_accessibility import violations


def test_an_editor_plans_a_day_from_the_calendar(browser, site, almanac, axe):
    editor = User.objects.create_user("planner", password="a long editor password",
                                      is_staff=True)
    editor.groups.add(Group.objects.get(name="editors"))
    today, empty = MonthDay.today(), MonthDay.today().next.next
    # axe is injected as an inline script: this context alone lets the policy pass it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Calendar").click()

    expect(page.locator("h1")).to_have_text("Calendar")
    assert violations(page, axe) == []
    expect(page.locator(f"#day-{today.month}-{today.day}")).to_have_attribute(
        "data-state", "published")
    cell = page.locator(f"#day-{empty.month}-{empty.day}")
    expect(cell).to_have_attribute("data-state", "empty")

    # A day opens its facts.
    page.locator(f"#day-{today.month}-{today.day} .calendar-day").click()
    expect(page.locator("#result_list")).to_contain_text(f"Lead of {today.name}")
    expect(page.locator("#result_list")).not_to_contain_text(f"Lead of {today.next.name}")

    # A day without a featured article starts one, with the day filled in.
    page.go_back()
    cell.locator(".calendar-add").click()
    expect(page.locator("#id_day")).to_have_value(str(empty.day))
    expect(page.locator("#id_month")).to_have_value(str(empty.month))
    expect(page.locator("#id_featured")).to_be_checked()
    page.locator("#id_title").fill("Planned from the calendar")
    page.locator("#id_slug").fill("planned-from-the-calendar")
    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(site + "/admin/calendar/")
    expect(cell).to_have_attribute("data-state", "published")
    expect(cell.locator(".calendar-add")).to_have_count(0)
    context.close()
