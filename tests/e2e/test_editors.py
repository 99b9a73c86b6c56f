"""Editors at work in a real browser: a fact is published, a comment is moderated."""

from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from dayfacts.comments.models import Comment, CommentStatus
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Status


def staff(role, username):
    user = User.objects.create_user(username, password="a long editor password", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def sign_in(browser, site, username):
    page = browser.new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username)
    return page


def test_an_editor_publishes_a_draft_and_readers_see_it(browser, site):
    today = MonthDay.today()
    draft = Fact.objects.create(month=today.month, day=today.day, year=1969, title="A draft",
                                slug="a-draft", summary="Not out yet.", status=Status.DRAFT)
    reader = browser.new_page()
    reader.goto(f"{site}/{today.path}/")
    expect(reader.get_by_role("link", name="A draft")).to_have_count(0)

    staff("editors", "ed")
    page = sign_in(browser, site, "ed")
    page.goto(f"{site}/admin/facts/fact/{draft.pk}/change/")
    page.locator("#id_status").select_option(Status.PUBLISHED)
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    reader.reload()
    expect(reader.get_by_role("link", name="A draft").first).to_be_visible()
    # An editor's role stops at facts and topics.
    assert page.goto(f"{site}/admin/comments/comment/").status == 403
    reader.close()
    page.close()


def test_a_moderator_approves_a_comment_and_readers_see_it(browser, site, almanac):
    reader = browser.new_page()
    reader.goto(site + almanac.get_absolute_url())
    form = reader.locator("#commentform")
    form.locator("#comment-name").fill("Grace")
    form.locator("#comment-email").fill("grace@example.org")
    form.locator("#comment-text").fill("My grandmother saw it happen.")
    form.locator("#comment-consent").check()
    form.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(".comment-awaiting")).to_have_text("Your comment is awaiting moderation.")
    comment = Comment.objects.get(email="grace@example.org")
    assert comment.status == CommentStatus.PENDING

    stranger = browser.new_page()
    stranger.goto(site + almanac.get_absolute_url())
    expect(stranger.get_by_text("My grandmother saw it happen.")).to_have_count(0)

    staff("moderators", "mo")
    page = sign_in(browser, site, "mo")
    page.goto(f"{site}/admin/comments/comment/")
    page.locator(f"input[name=_selected_action][value='{comment.pk}']").check()
    page.locator("select[name=action]").select_option("approve")
    page.locator("button[name=index]").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED

    stranger.reload()
    expect(stranger.get_by_text("My grandmother saw it happen.")).to_be_visible()
    # A moderator cannot touch the facts.
    assert page.goto(f"{site}/admin/facts/fact/").status == 403
    for opened in (reader, stranger, page):
        opened.close()
