"""The two signed cookies a commenter may carry; pages with either are personal, never cached.

`dayfacts_commenter` holds the name, email and website of a reader who ticked "remember";
`dayfacts_held` lists the ids of the reader's comments still awaiting moderation, so only
their author sees them.
"""

import json

from django.conf import settings

COMMENTER = "dayfacts_commenter"
HELD = "dayfacts_held"
SALT = "dayfacts.comments.cookies"
# How many held comments one browser keeps track of; older ones drop off.
HELD_LIMIT = 50
COMMENTER_AGE = 365 * 24 * 3600
HELD_AGE = 30 * 24 * 3600


def _read(request, name):
    try:
        return json.loads(request.get_signed_cookie(name, default="null", salt=SALT))
    except ValueError:
        return None


def held_ids(request):
    """The ids of held comments this reader wrote (an empty list without the cookie)."""
    value = _read(request, HELD)
    if not isinstance(value, list):
        return []
    return [pk for pk in value if isinstance(pk, int)]


def remembered_commenter(request):
    """The name, email and website this reader asked us to remember, or {}."""
    value = _read(request, COMMENTER)
    if not isinstance(value, dict):
        return {}
    return {key: str(value.get(key, "")) for key in ("name", "email", "url")}


def _set(response, name, value, max_age):
    response.set_signed_cookie(
        name, json.dumps(value, separators=(",", ":")), salt=SALT, max_age=max_age,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


def set_submission_cookies(response, request, result):
    """Remember a held comment for its author, and the commenter's details if asked to."""
    if result.comment is not None and not result.comment.is_approved:
        ids = [*held_ids(request), result.comment.pk][-HELD_LIMIT:]
        _set(response, HELD, ids, HELD_AGE)
    form = result.form
    if result.comment is not None and form.cleaned_data.get("remember"):
        details = {key: form.cleaned_data.get(key, "") for key in ("name", "email", "url")}
        _set(response, COMMENTER, details, COMMENTER_AGE)
    elif result.comment is not None and COMMENTER in request.COOKIES:
        # Posting without the box ticked is the way to be forgotten.
        response.delete_cookie(COMMENTER, samesite="Lax")
    return response
