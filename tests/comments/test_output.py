"""Safe output: plain text with paragraphs and ugc links, no emails, avatars drawn locally."""

import pytest
from django.test import Client

from dayfacts.comments.templatetags.comments import comment_html
from tests.comments.conftest import make_comment

pytestmark = pytest.mark.django_db

TEXT = ('First paragraph with <script>alert("x")</script> and a <a href="http://evil.example">'
        'link</a>.\n\nSecond paragraph, see https://example.org/page?a=1&b=2\nnew line.')


def test_comment_text_is_escaped_with_paragraphs_and_ugc_links(fact):
    make_comment(fact, text=TEXT, url="https://ada.example")
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<a href="http://evil.example">' not in page
    assert ('<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow ugc">'
            "https://example.org/page?a=1&amp;b=2</a><br>new line.</p>") in page
    assert "<p>Second paragraph" in page
    assert '<a href="https://ada.example" rel="external nofollow ugc">Ada Reader</a>' in page


def test_every_generated_link_is_nofollow_ugc():
    html = comment_html("a www.one.example b http://two.example/x c")
    assert html.count('rel="nofollow ugc"') == 2
    assert 'rel="nofollow"' not in html


def test_a_reader_cannot_forge_the_rel_attribute():
    html = comment_html('x rel="nofollow" y')
    assert "rel=&quot;nofollow&quot;" in html


def test_emails_appear_in_no_page_feed_or_answer(client, post_comment, fact):
    make_comment(fact, email="secret.ada@example.org")
    make_comment(fact, email="secret.bob@example.org", text="Hi", parent=None, name="Bob")
    answer = post_comment(json=True, email="secret.grace@example.org").content.decode()
    pages = [Client().get(url).content.decode() for url in (
        fact.get_absolute_url(), "/march/20/", "/comments/feed/", f"/comments/feed/{fact.slug}/")]
    pages.append(client.get(fact.get_absolute_url()).content.decode())  # the author's own view
    for text in [answer, *pages]:
        assert "secret." not in text


def test_avatars_are_initials_drawn_locally(fact):
    make_comment(fact, name="ada lovelace")
    make_comment(fact, name="Émile", email="e@example.org", text="Bonjour")
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert '<span class="avatar tone-' in page and ">AL</span>" in page and ">É</span>" in page
    assert "gravatar" not in page and "<img" not in page[page.index('id="comments"'):]


def test_comment_time_is_shown_in_the_sites_time_zone(settings, fact):
    from datetime import UTC, datetime

    from dayfacts.comments.models import Comment

    settings.TIME_ZONE = "Asia/Tokyo"
    comment = make_comment(fact)
    Comment.objects.filter(pk=comment.pk).update(created=datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert '<time datetime="2026-03-20T12:00:00+00:00">March 20, 2026, 9 p.m.</time>' in page
