"""The API's writing endpoints: a comment on a fact and a newsletter sign-up.

Each is checked and answered as the site's own form is (the same form and service), and
each answer tells nobody more than the page would.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited
from ninja import Router

from dayfacts.comments.forms import CommentForm
from dayfacts.comments.services import submit_comment
from dayfacts.facts.models import Fact
from dayfacts.newsletter.forms import SignupForm
from dayfacts.newsletter.services import request_signup

from .http import Problem
from .schemas import ERRORS, AcceptedOut, CommentIn, SignupIn

router = Router()


@router.post("/facts/{fact_id}/comments",
             response={202: AcceptedOut, **ERRORS}, url_name="post_comment", tags=["Comments"],
             openapi_extra={"responses": {202: {"description": (
                 "Received, and held for moderation: the same answer whether the comment is "
                 "held, taken for spam or a copy of someone else's comment.")}}})
def post_comment(request, fact_id: int, comment: CommentIn):
    """Post a comment on a fact, checked and moderated exactly as the page's form is."""
    fact = get_object_or_404(Fact.objects.published(), pk=fact_id)
    form = CommentForm(fact, data=comment.model_dump(exclude_none=True), browser=False)
    result = submit_comment(form, request)
    if result.refused:
        errors = {field: [str(message) for message in messages]
                  for field, messages in form.errors.items()} if form.is_bound else None
        raise Problem(result.http_status, result.message, errors=errors)
    # One answer for held, spam and another's copy (services.OUTCOME): nobody learns which.
    return result.http_status, {"status": result.status, "detail": result.message}


@router.post("/newsletter/signups", response={202: AcceptedOut, **ERRORS},
             url_name="newsletter_signup", tags=["Newsletter"])
def newsletter_signup(request, signup: SignupIn):
    """Ask for the newsletter; a confirmation email follows, as from the site's form."""
    data = signup.model_dump()
    data["delivery_hour"] = "" if data["delivery_hour"] is None else str(data["delivery_hour"])
    form = SignupForm(data)
    if not form.is_valid():
        errors = {field: [str(message) for message in messages]
                  for field, messages in form.errors.items()}
        raise Problem(400, "The sign-up is not valid; see errors.", errors=errors)
    try:
        request_signup(form, request)
    except Ratelimited:
        usage = get_usage(request, group="newsletter.signup", key="ip",
                          rate=settings.NEWSLETTER_SIGNUP_RATE)
        wait = max(1, int(usage["time_left"])) if usage else 3600
        raise Problem(429, "Too many sign-ups from this address just now.",
                      headers={"Retry-After": str(wait)}) from None
    # The same answer whether the address is new, waiting or subscribed: nobody can use
    # this to learn who reads the newsletter.
    return 202, {"status": "pending",
                 "detail": "If the address can be signed up, a confirmation email is on its way."}
