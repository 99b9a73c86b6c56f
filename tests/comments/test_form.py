"""The form under every fact: fields, plain-words messages, limits, and nothing lost."""

import pytest
from django.utils.html import escape

from dayfacts.comments.models import Comment, CommentSettings

pytestmark = pytest.mark.django_db


def test_form_is_under_the_fact_and_under_the_days_featured_fact(client, fact):
    for url in (fact.get_absolute_url(), "/march/20/"):
        page = client.get(url).content.decode()
        assert "Leave a Reply" in page
        assert "Your email address will not be published." in page
        assert f'action="/comments/post/{fact.slug}/"' in page
        for name in ("name", "email", "url", "text", "consent", "remember"):
            assert f'name="{name}"' in page
        assert "csrfmiddlewaretoken" not in page, "the shared page carries no token"


def test_remember_box_is_unticked_and_consent_links_to_editable_terms(client, fact):
    page = client.get(fact.get_absolute_url()).content.decode()
    assert '<input type="checkbox" name="remember" id="comment-remember">' in page
    assert 'href="/comments/terms/"' in page
    rules = CommentSettings.load()
    rules.terms_title, rules.terms_body = "House rules", "No *shouting*, please."
    rules.save()
    terms = client.get("/comments/terms/").content.decode()
    assert "<h1>House rules</h1>" in terms and "<em>shouting</em>" in terms


def test_empty_post_names_every_missing_field_and_keeps_what_was_typed(post_comment):
    response = post_comment(name="", email="", text="My half-written thought", consent=None)
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Please fill out this field.") == 2  # name and email
    assert "You need to agree with the terms to proceed." in page
    assert "My half-written thought" in page
    assert Comment.objects.count() == 0


def test_bad_email_is_named_and_the_rest_kept(post_comment):
    response = post_comment(email="grace.example.org", name="Grace Q", url="example.net")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please enter a valid email address." in page
    assert 'value="grace.example.org"' in page
    assert 'value="Grace Q"' in page
    assert "I did not know this happened on this day." in page


@pytest.mark.parametrize("field, limit, what", [
    ("name", 245, "name"), ("email", 100, "email address"), ("url", 200, "web address"),
    ("text", 65525, "comment"),
])
def test_each_limit_has_its_own_message(post_comment, field, limit, what):
    value = {"name": "n" * (limit + 1), "email": "e" * (limit - 11) + "@example.org",
             "url": "https://example.org/" + "p" * limit, "text": "t" * (limit + 1)}[field]
    response = post_comment(**{field: value})
    assert response.status_code == 400
    assert f"Please keep the {what} to {limit:,} characters or fewer" in response.content.decode()
    assert Comment.objects.count() == 0


def test_right_at_the_limits_is_accepted(post_comment):
    response = post_comment(name="n" * 245, text="t" * 65525,
                            email="e" * 88 + "@example.org", url="https://example.org/" + "p" * 180)
    assert response.status_code == 302
    assert Comment.objects.get().text == "t" * 65525


def test_browser_gets_no_maxlength_to_cut_pasted_text_short(client, fact):
    page = client.get(fact.get_absolute_url()).content.decode()
    form = page[page.index('id="commentform"'):]
    assert "maxlength" not in form[:form.index("</form>")]


def test_refused_page_escapes_what_was_typed(post_comment):
    page = post_comment(name="<b>bold</b>", email="bad").content.decode()
    assert escape("<b>bold</b>") in page and "<b>bold</b>" not in page
