import pytest

from dayfacts.comments.forms import REQUIRED
from dayfacts.comments.models import Comment, CommentStatus

GOOD = {"name": "Ada", "email": "ada@example.org", "text": "I did not know that.",
        "consent": True}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_comment_is_saved_through_the_comment_form(client, march_20):
    fact = march_20["featured"]
    response = post(client, f"/api/v1/facts/{fact.pk}/comments", GOOD)
    assert response.status_code == 202
    assert response.json() == {"status": "held",
                               "detail": "Thank you. Your comment is awaiting moderation."}
    assert "ada@example.org" not in response.content.decode()
    saved = Comment.objects.get()
    assert (saved.fact, saved.name, saved.email) == (fact, "Ada", "ada@example.org")


def test_a_refused_comment_names_each_field_as_the_form_does(client, march_20):
    url = f"/api/v1/facts/{march_20['featured'].pk}/comments"
    response = post(client, url, {"name": "Ada", "email": "not-an-email", "text": ""})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors["text"] == [REQUIRED]
    assert errors["email"] == ["Please enter a valid email address."]
    assert errors["consent"] == ["You need to agree with the terms to proceed."]
    assert not Comment.objects.exists()


def test_the_same_comment_twice_gets_the_same_answer_and_is_kept_from_readers(
        client, march_20, settings):
    # The API carries no cookie that proves who posted the first: naming the second a
    # duplicate would tell anyone who wrote what.
    settings.COMMENTS_FLOOD_SECONDS = 0
    url = f"/api/v1/facts/{march_20['featured'].pk}/comments"
    first, second = post(client, url, GOOD), post(client, url, GOOD)
    assert (second.status_code, second.json()) == (first.status_code, first.json()) == \
        (202, {"status": "held", "detail": "Thank you. Your comment is awaiting moderation."})
    assert list(Comment.objects.values_list("status", flat=True)) == \
        [CommentStatus.PENDING, CommentStatus.SPAM]


@pytest.mark.parametrize("which", ["draft", None])
def test_comments_on_a_missing_fact_are_404(client, march_20, which):
    pk = march_20[which].pk if which else 999999
    assert post(client, f"/api/v1/facts/{pk}/comments", GOOD).status_code == 404


def test_search_finds_facts_through_the_search_app(client, march_20, make_fact):
    make_fact(title="Treaty of Ghent", year=1814, month=12, day=24)
    body = client.get("/api/v1/search?q=treaty").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {"Treaty of Paris", "Treaty of Ghent"}
    assert "<mark>" in body["items"][0]["title_html"]
    slim = client.get("/api/v1/search?q=treaty&limit=1&fields=title").json()
    assert len(slim["items"]) == 1 and set(slim["items"][0]) == {"title"}
    rest = client.get(slim["next"]).json()
    assert rest["next"] is None
    assert {slim["items"][0]["title"], rest["items"][0]["title"]} == {
        "Treaty of Paris", "Treaty of Ghent"}


def test_search_hides_drafts_and_rejects_a_bad_cursor(client, march_20):
    assert client.get("/api/v1/search?q=yet").json()["count"] == 0
    assert client.get("/api/v1/search?q=treaty&cursor=zzz").status_code == 400

