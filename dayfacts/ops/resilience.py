"""Keep readers' pages honest when a part of the site is down: a clear 503, never a traceback.

DatabaseUnavailableMiddleware answers 503 with a plain page while the database cannot be
reached; NullBytesMiddleware turns away addresses no page has.
"""

import logging
import sys

from csp.utils import build_policy
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy's health check) is asked to wait before trying again.
RETRY_AFTER = 30


def is_database_unavailable(error):
    """Whether `error` says the database is unreachable, rather than that a query is wrong.

    A bare DatabaseError is what a driver raises when the connection dies mid-answer; its
    subclasses for bad data or bad SQL (IntegrityError, ProgrammingError...) are bugs, and
    stay 500s.
    """
    return isinstance(error, (OperationalError, InterfaceError)) or type(error) is DatabaseError


def database_unavailable(request):
    """Render the 'back soon' page; it reads nothing from the database."""
    html = render_to_string("ops/503.html", {"retry_after": RETRY_AFTER})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # This middleware sits above the ones that add these (it must, to catch the page cache's
    # errors), so the page brings its own.
    response["Content-Security-Policy"] = build_policy()
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    return response


def _flag_unavailable(sender, request=None, **kwargs):
    """Mark a request whose unhandled error was the database being away (got_request_exception)."""
    error = sys.exc_info()[1]
    if request is not None and is_database_unavailable(error):
        request.database_unavailable = error


got_request_exception.connect(_flag_unavailable, dispatch_uid="dayfacts.ops.resilience")


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection into a 503 page.

    Views and templates are covered by process_exception. An error in a middleware below
    this one has already become a 500 by the time it gets here; the got_request_exception
    flag tells those apart, and they get the same page. Django closes a connection that
    failed at the end of the request, so the next request connects afresh: the site
    recovers by itself once the database is back, with no restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "database_unavailable", None)
        if response.status_code == 500 and error is not None:
            logger.error("database unavailable: %s", error)
            return database_unavailable(request)
        return response

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None


class NullBytesMiddleware:
    """Refuse a NUL byte in the address: 404 in the path, 400 in the query string.

    No address of the site holds one, and PostgreSQL refuses to compare text with it, so a
    `%00` that reached a query would turn a wrong address into a server error. Forms say so
    themselves (Django's fields refuse null characters with a message).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No such page.")
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists()
               for value in values):
            return HttpResponseBadRequest("A null character (%00) in the query string.\n",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)
