"""What readers type into the comment and sign-up forms is kept exactly, or refused clearly."""

import itertools
import re

import pytest
from django.utils.html import escape
from hypothesis import event, example, given
from hypothesis import strategies as st

from dayfacts.comments.models import Comment
from dayfacts.newsletter.models import Subscriber

# Any code point a form can carry (surrogates cannot be sent as UTF-8), controls and null
# bytes included, plus text far over every length limit.
typed = (
    st.text(max_size=80)
    | st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20)
    | st.tuples(st.characters(), st.integers(60_000, 70_000)).map(lambda pair: pair[0] * pair[1])
)
unique = itertools.count()
ERROR = re.compile(rb'class="[^"]*(errorlist|notice)[^"]*"')


@pytest.fixture
def open_comments(settings):
    """Take the human-speed checks out of the way: this test is about what is typed."""
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = "1000000/h"
    settings.NEWSLETTER_SIGNUP_RATE = "1000000/h"


@pytest.mark.django_db
@given(name=typed, text=typed)
@example(name="Ada\x00", text="null\x00byte")
@example(name="  spaced  ", text="\r\nline one\r\nline two\r\n")
@example(name="\u202eevil", text="<script>alert(1)</script>")
def test_a_comment_is_stored_exactly_or_refused_with_a_message(
        client, almanac, open_comments, name, text):
    fact = almanac[0]
    email = f"reader{next(unique)}@example.org"
    before = Comment.objects.count()
    response = client.post(f"/comments/post/{fact.slug}/", {
        "name": name, "email": email, "text": text, "consent": "on", "url": "",
    })
    if response.status_code == 302:
        comment = Comment.objects.get(email=email)
        assert (comment.name, comment.text) == (name.strip(), text.strip())
        event("stored")
        return
    event("refused")
    assert Comment.objects.count() == before
    assert 400 <= response.status_code < 500, response.status_code
    assert ERROR.search(response.content), "refused without saying why"
    # Nothing typed is lost: the form comes back holding it (escaped, and never executed).
    if text.strip() and "\x00" not in text and len(text) < 1000:
        assert escape(text.strip()).encode() in response.content


@pytest.mark.django_db
@given(email=typed | st.emails().map(lambda e: e.upper()), time_zone=typed)
@example(email="reader@example.org\x00", time_zone="")
@example(email=" Reader@Example.org ", time_zone="Europe/Paris")
def test_a_sign_up_is_stored_or_refused_with_a_message(client, open_comments, email, time_zone):
    before = Subscriber.objects.count()
    response = client.post("/newsletter/", {"email": email, "frequency": "daily",
                                            "delivery_hour": "", "time_zone": time_zone})
    if response.status_code == 302:
        assert Subscriber.objects.filter(email=email.strip().lower()).exists()
        event("stored")
        return
    event("refused")
    assert Subscriber.objects.count() == before
    assert 400 <= response.status_code < 500, response.status_code
    assert ERROR.search(response.content), "refused without saying why"


@pytest.mark.django_db
@given(name=typed, text=typed)
@example(name="Ada", text="null\x00byte")
@example(name="\x7f\x1b[31m", text="\u0000\uffff\U0010ffff")
def test_a_comment_through_the_api_is_stored_exactly_or_refused_with_a_message(
        client, almanac, open_comments, settings, name, text):
    settings.DAYFACTS_API_RATE_LIMIT = "1000000/m"
    fact = almanac[0]
    email = f"api{next(unique)}@example.org"
    before = Comment.objects.count()
    response = client.post(f"/api/v1/facts/{fact.pk}/comments", content_type="application/json",
                           data={"name": name, "email": email, "text": text, "consent": True})
    if response.status_code in (201, 202):
        comment = Comment.objects.get(email=email)
        assert (comment.name, comment.text) == (name.strip(), text.strip())
        event("stored")
        return
    event("refused")
    assert Comment.objects.count() == before
    assert 400 <= response.status_code < 500, response.status_code
    problem = response.json()
    assert problem.get("detail") or problem.get("errors"), problem
