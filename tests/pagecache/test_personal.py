"""What is personal (a CSRF token, a held comment, form errors) never reaches another reader."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dayfacts.pagecache.csrf import PLACEHOLDER

pytestmark = pytest.mark.urls("tests.pagecache.site_urls")
FORM = "/pagecache-test/form/"


@pytest.fixture(autouse=True)
def cache_the_form_page(settings):
    settings.PAGECACHE_VIEWS = [*settings.PAGECACHE_VIEWS, "pagecachetest:*"]


def token_in(response):
    found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found, "the page has a form with a token"
    return found[0]


def reader():
    return Client(enforce_csrf_checks=True)


def test_each_reader_gets_their_own_working_token_from_one_cached_page(db):
    alice, bob = reader(), reader()
    page_a = alice.get(FORM)
    with CaptureQueriesContext(connection):
        page_b = bob.get(FORM)
    token_a, token_b = token_in(page_a), token_in(page_b)
    assert PLACEHOLDER not in page_a.content.decode() + page_b.content.decode()
    assert token_a != token_b
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    # Each token works for its own reader, and not for the other.
    assert alice.post(FORM, {"name": "Alice", "csrfmiddlewaretoken": token_a}).status_code == 200
    assert bob.post(FORM, {"name": "Bob", "csrfmiddlewaretoken": token_a}).status_code == 403
    assert bob.post(FORM, {"name": "Bob", "csrfmiddlewaretoken": token_b}).status_code == 200


def test_the_day_page_forms_carry_the_readers_token(client, make_fact):
    make_fact(title="A day with forms", featured=True)
    pages = [Client().get("/march/20/").content.decode() for _ in range(2)]
    assert all(PLACEHOLDER not in page for page in pages)
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', p) for p in pages]
    if not tokens[0]:
        pytest.skip("the day page has no form yet")
    assert tokens[0][0] != tokens[1][0]


def test_a_readers_personal_page_is_neither_served_from_nor_stored_in_the_cache(db):
    stranger = reader()
    assert "Hello, reader" in stranger.get(FORM).content.decode()
    author = reader()
    author.cookies["dayfacts_held"] = "my comment 42"
    assert "Your held note: my comment 42" in author.get(FORM).content.decode()
    for someone in (stranger, reader()):
        page = someone.get(FORM).content.decode()
        assert "my comment 42" not in page
        assert "Hello, reader" in page


def test_an_editors_session_bypasses_the_cache(client, admin_user, make_fact):
    fact = make_fact(title="Before the edit", featured=True)
    Client().get("/march/20/")
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        client.get("/march/20/")
    assert len(queries) > 0, "an editor always sees the page rendered fresh"
    assert fact.title in client.get("/march/20/").content.decode()


def test_form_errors_are_never_cached(db):
    poster = reader()
    token = token_in(poster.get(FORM))
    errors = poster.post(FORM, {"name": "x" * 50, "csrfmiddlewaretoken": token})
    assert "at most 20 characters" in errors.content.decode()
    assert "x" * 50 in errors.content.decode()
    for someone in (reader(), poster):
        page = someone.get(FORM).content.decode()
        assert "at most 20 characters" not in page
        assert "x" * 50 not in page


def test_a_held_comment_is_shown_only_to_its_author(make_fact):
    comments = pytest.importorskip("dayfacts.comments.models")
    fact = make_fact(title="A fact under discussion", featured=True, body="Text.")
    url = fact.get_absolute_url()
    Client().get(url)  # the public page is cached first
    author = Client()
    from django.core import signing

    held = comments.Comment.objects.create(
        fact=fact, name="Ada", email="ada@example.org", text="My held words here",
        status=comments.CommentStatus.PENDING,
    )
    author.cookies["dayfacts_held"] = signing.get_cookie_signer(
        salt="dayfacts_held" + "dayfacts.comments.cookies").sign(f"[{held.pk}]")
    assert "My held words here" in author.get(url).content.decode()
    for page in (Client().get(url), Client().get(url)):
        text = page.content.decode()
        assert "My held words here" not in text
        assert "ada@example.org" not in text


def test_a_form_from_a_static_copy_is_confirmed_with_what_was_typed(db):
    poster = reader()
    sent = poster.post(FORM, {"name": "Grace <Hopper>"})  # no token: a static page's form
    assert sent.status_code == 403
    page = sent.content.decode()
    assert 'value="Grace &lt;Hopper&gt;"' in page
    confirm_token = token_in(sent)
    assert confirm_token != PLACEHOLDER
    again = poster.post(FORM, {"name": "Grace <Hopper>", "csrfmiddlewaretoken": confirm_token})
    assert again.status_code == 200
    assert "thanks Grace" in again.content.decode()
