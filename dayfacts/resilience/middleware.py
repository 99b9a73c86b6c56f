"""Answer 503 with a plain page while the database cannot be reached."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("dayfacts.resilience")

# Seconds a client (or a proxy's health check) is asked to wait before trying again.
RETRY_AFTER = 30


def database_unavailable(request):
    """Render the 'back soon' page; it reads nothing from the database."""
    html = render_to_string("resilience/503.html", {"retry_after": RETRY_AFTER})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection into a 503 page.

    Django closes a connection that raised on the way out of the request
    (close_if_unusable_or_obsolete), so the next request connects afresh: the site
    recovers by itself once the database is back, with no restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None
