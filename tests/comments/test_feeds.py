"""Comment counts on day and fact pages, and RSS of the latest approved comments."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from dayfacts.comments.models import Comment, CommentStatus
from tests.comments.conftest import make_comment

pytestmark = pytest.mark.django_db


def test_counts_show_approved_comments_on_fact_and_day_pages(fact):
    make_comment(fact, text="a")
    make_comment(fact, text="b")
    make_comment(fact, text="c", status=CommentStatus.PENDING)
    make_comment(fact, text="d", status=CommentStatus.SPAM)
    for url in (fact.get_absolute_url(), "/march/20/"):
        assert "2 comments on “The first test fact”" in Client().get(url).content.decode()


def test_one_comment_is_singular_and_none_says_so(fact):
    page = Client().get(fact.get_absolute_url()).content.decode()
    assert "No comments yet." in page
    make_comment(fact)
    assert "1 comment on “" in Client().get(fact.get_absolute_url()).content.decode()


def test_counts_by_fact_in_one_query(fact, other_fact, django_assert_num_queries):
    make_comment(fact, text="a")
    make_comment(fact, text="b")
    make_comment(other_fact, text="c")
    with django_assert_num_queries(1):
        counts = Comment.objects.approved().counts_by_fact([fact, other_fact])
    assert counts == {fact.pk: 2, other_fact.pk: 1}


def items(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def test_site_feed_lists_latest_approved_comments_only(fact, other_fact):
    make_comment(fact, name="Ada", text="On the first")
    make_comment(other_fact, name="Bob", text="On the second", email="bob@example.org")
    make_comment(fact, name="Held", text="Not yet", status=CommentStatus.PENDING)
    found = items(Client().get("/comments/feed/"))
    titles = [item.findtext("title") for item in found]
    assert sorted(titles) == ["Ada on The first test fact", "Bob on The second test fact"]
    assert all("/comments/" in item.findtext("link") for item in found)
    assert "<p>On the first</p>" in "".join(item.findtext("description") for item in found)


def test_fact_feed_lists_that_facts_comments(fact, other_fact):
    make_comment(fact, name="Ada")
    make_comment(other_fact, name="Bob")
    found = items(Client().get(f"/comments/feed/{fact.slug}/"))
    assert [item.findtext("title") for item in found] == ["Ada on The first test fact"]


def test_feed_of_an_unknown_or_draft_fact_is_404(fact):
    assert Client().get("/comments/feed/no-such-fact/").status_code == 404
    fact.status = "draft"
    fact.save()
    assert Client().get(f"/comments/feed/{fact.slug}/").status_code == 404


def test_comments_on_a_draft_fact_leave_the_site_feed(fact):
    make_comment(fact, name="Ada")
    fact.status = "draft"
    fact.save()
    assert items(Client().get("/comments/feed/")) == []
