"""Cross-site request forgery: the public forms' origin check and the page of a refused form.

The forms every reader sees (comment, reply, newsletter sign-up, confirm, unsubscribe and
delete) sit on pages the page cache shares, byte for byte, among all readers, so they carry
no per-reader token. They are protected instead by what every current browser sends with a
form: `Sec-Fetch-Site`, or where that is missing `Origin`, compared to the site's own origin
(OWASP's Fetch Metadata guidance; Go's CrossOriginProtection works the same way). A request
with neither header comes from a program, not from a browser a page could steer; it is
treated as the JSON API treats every request, which takes no cookies it would trust.

The admin and every form of a signed-in editor keep Django's CsrfViewMiddleware as it is;
both kinds of refusal get the same plain 403, which carries nothing of what was posted.
"""

import functools

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Sec-Fetch-Site values of a request the site's own pages (or the reader, by typing or a
# bookmark) started. "same-site" is a sibling host, which is another origin: refused.
OWN = ("same-origin", "none")


def own_origin(request):
    """The origin (scheme://host[:port]) the request was sent to, as a browser writes it."""
    return f"{request.scheme}://{request.get_host()}"


def cross_origin_reason(request):
    """Why `request` is a cross-origin write to refuse, or "" when it may go on."""
    if request.method in SAFE_METHODS:
        return ""
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return ""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return "" if fetch_site in OWN else f"the browser says it came from a {fetch_site} page"
    if origin is None or origin == own_origin(request):
        return ""
    return "it came from a page of another site"


def same_origin_only(view):
    """Refuse a cross-origin POST to a public form with a 403, by the browser's own headers."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        reason = cross_origin_reason(request)
        if reason:
            return refused(request, reason)
        return view(request, *args, **kwargs)

    # The check above replaces Django's token, which a shared page cannot carry.
    return csrf_exempt(wrapped)


def refused(request, reason=""):
    """Answer a refused form with a plain 403 that says why and holds nothing it was sent."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
