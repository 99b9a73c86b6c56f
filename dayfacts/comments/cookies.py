"""The signed cookies a commenter may carry.

`dayfacts_commenter` holds the name, email and website of a reader who ticked "remember";
`dayfacts_held` lists the ids of the reader's comments still awaiting moderation, so only
their author sees them. Pages with either are personal, never cached.

`dayfacts_author` lists the ids of the comments this browser posted. It is the proof that
makes a commenter known (services.proven_emails): an address typed in the form is known only
when one of these comments is approved and carries it. It changes nothing on a page, so
pages with it alone stay shared.
"""

import json

from django.conf import settings

COMMENTER = "dayfacts_commenter"
HELD = "dayfacts_held"
AUTHOR = "dayfacts_author"
SALT = "dayfacts.comments.cookies"
# How many comments one browser keeps track of, held or written; older ones drop off.
HELD_LIMIT = 50
AUTHOR_LIMIT = 50
COMMENTER_AGE = 365 * 24 * 3600
AUTHOR_AGE = 365 * 24 * 3600
HELD_AGE = 30 * 24 * 3600


def _read(request, name):
    try:
        return json.loads(request.get_signed_cookie(name, default="null", salt=SALT))
    except ValueError:
        return None


def _ids(request, name):
    value = _read(request, name)
    if not isinstance(value, list):
        return []
    return [pk for pk in value if isinstance(pk, int)]


def held_ids(request):
    """The ids of held comments this reader wrote (an empty list without the cookie)."""
    return _ids(request, HELD)


def authored_ids(request):
    """The ids of every comment this browser posted, as far as its signed cookies tell."""
    return list(dict.fromkeys([*_ids(request, AUTHOR), *held_ids(request)]))


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
    """Record a posted comment for its author, and the commenter's details if asked to."""
    if result.comment is None:
        return response
    if not result.comment.is_approved:
        ids = [*held_ids(request), result.comment.pk][-HELD_LIMIT:]
        _set(response, HELD, ids, HELD_AGE)
    authored = [pk for pk in _ids(request, AUTHOR) if pk != result.comment.pk]
    _set(response, AUTHOR, [*authored, result.comment.pk][-AUTHOR_LIMIT:], AUTHOR_AGE)
    form = result.form
    if form.cleaned_data.get("remember"):
        details = {key: form.cleaned_data.get(key, "") for key in ("name", "email", "url")}
        _set(response, COMMENTER, details, COMMENTER_AGE)
    elif COMMENTER in request.COOKIES:
        # Posting without the box ticked is the way to be forgotten.
        response.delete_cookie(COMMENTER, samesite="Lax")
    return response
