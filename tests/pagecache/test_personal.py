"""What is personal (a held comment, form errors, a session) never reaches another reader, and
a shared page is the same bytes for everyone: no token, no cookie."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.urls("tests.pagecache.site_urls")
FORM = "/pagecache-test/form/"


@pytest.fixture(autouse=True)
def cache_the_form_page(settings):
    settings.PAGECACHE_VIEWS = [*settings.PAGECACHE_VIEWS, "pagecachetest:*"]


def reader():
    return Client(enforce_csrf_checks=True)


def test_a_page_with_a_form_is_one_stored_copy_for_every_reader(db):
    alice, bob = reader(), reader()
    page_a = alice.get(FORM)
    with CaptureQueriesContext(connection) as queries:
        page_b = bob.get(FORM)
    assert len(queries) == 0, "the second reader got the stored copy"
    assert page_a.content == page_b.content
    assert "csrfmiddlewaretoken" not in page_a.content.decode()
    assert not page_a.cookies and not page_b.cookies, "a page view sets no cookie"
    assert page_a["ETag"] == page_b["ETag"] and not page_a["ETag"].startswith("W/")
    assert "private" not in page_b["Cache-Control"] and "s-maxage" in page_b["Cache-Control"]
    # The form works without a token, for either reader, from the site's own page.
    own_page = {"Sec-Fetch-Site": "same-origin"}
    assert alice.post(FORM, {"name": "Alice"}, headers=own_page).status_code == 200
    assert bob.post(FORM, {"name": "Bob"}, headers=own_page).status_code == 200


def test_the_day_page_is_the_same_bytes_for_every_reader(make_fact):
    make_fact(title="A day with forms", featured=True)
    pages = [Client().get("/march/20/") for _ in range(3)]
    assert len({page.content for page in pages}) == 1
    assert all(not page.cookies for page in pages)
    text = pages[0].content.decode()
    assert 'action="/newsletter/"' in text, "the footer's sign-up form is on the page"
    assert "csrf" not in text


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
    poster.get(FORM)
    errors = poster.post(FORM, {"name": "x" * 50})
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


def test_a_refused_form_gets_a_bare_403_that_keeps_nothing(db):
    sent = reader().post(FORM, {"name": "Grace <Hopper>"},
                         headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert sent.status_code == 403
    page = sent.content.decode()
    assert "Grace" not in page and "Hopper" not in page
    assert "<form" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
