"""CachedPages: a WSGI layer that answers page cache hits before Django's request cycle.

A stored page needs nothing of Django's request cycle: no request object, middleware, URL
resolver, view, database connection or request signals, and on a hit those were nearly all
the time a request took. This layer, between the server and Django's WSGI handler, answers
the common hit, a reader's plain GET or HEAD of an address with no query string, from the
WSGI environ alone: the page found under the key PageCacheMiddleware stores it by, as it
was stored, the headers PageCacheMiddleware would give (cache_control), and what the
middleware above it adds (the request id, the request metrics; for the API, the client's
rate limit and the API's own headers, as ApiMiddleware applies them).

Everything else goes on to Django as it came, where PageCacheMiddleware still answers from
the store when it can: a miss, an address with a query string (whose key depends on the
parameters its view reads), a personal request, a conditional GET (Django's own code
decides 304 or 412), a POST and the probes.
"""

import time

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http.cookie import parse_cookie
from redis.exceptions import RedisError

from dayfacts.api import middleware as api
from dayfacts.api.http import rate_limited
from dayfacts.ops import metrics
from dayfacts.ops.middleware import ProbeMiddleware, client_address, request_id_of

from . import generation
from .middleware import cache_control, may_answer, page_key

# Requests with any of these are left to Django (see the module's docstring).
PASSED_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                  "HTTP_IF_UNMODIFIED_SINCE")


class CachedPages:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = self.find(environ)
        if found is None:
            return self.application(environ, start_response)
        entry, now = found
        # The page's view says it: an API answer was stored from a view of the api namespace.
        is_api = entry.route.startswith("api:")
        if is_api:
            # The client's request counts against its allowance, as ApiMiddleware counts it.
            client_address(tuple(settings.TRUSTED_PROXIES)).apply(environ)
            limited = rate_limited(WSGIRequest(environ))
            if limited is not None:
                return self.send(limited, environ, start_response, started, entry.route)
        headers = [
            *entry.headers,
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            *(api.get_headers(entry.status) if is_api
              else [("Cache-Control", cache_control(entry, now))]),
            ("X-Request-ID", request_id_of(environ)),
            ("Content-Length", str(len(entry.body))),
        ]
        start_response(f"{entry.status} OK", headers)
        method = environ["REQUEST_METHOD"]
        metrics.observe(entry.route or "unmatched", method, entry.status,
                        time.perf_counter() - started)
        return [b"" if method == "HEAD" else entry.body]

    def send(self, response, environ, start_response, started, route):
        """Hand a Django response to the server, as Django's WSGI handler does."""
        response["X-Request-ID"] = request_id_of(environ)
        start_response(f"{response.status_code} {response.reason_phrase}", [
            *response.items(),
            *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
        ])
        metrics.observe(route, environ["REQUEST_METHOD"], response.status_code,
                        time.perf_counter() - started)
        return [response.content]

    def find(self, environ):
        """(stored page, now) when this layer may answer the request."""
        path = environ.get("PATH_INFO", "")
        if (path in ProbeMiddleware.PATHS or environ.get("QUERY_STRING")
                or any(name in environ for name in PASSED_HEADERS)):
            return None
        cookies = parse_cookie(environ["HTTP_COOKIE"]) if "HTTP_COOKIE" in environ else {}
        if not may_answer(environ.get("REQUEST_METHOD"), environ.get("SCRIPT_NAME", "") + path,
                          environ, cookies):
            return None
        key = page_key(environ)
        if key is None:
            return None
        try:
            token, entry = generation.lookup(key)
        except (OSError, RedisError):
            # The cache is out of reach: Django's request cycle answers, and reports it
            # (the 503 page, /readyz) as it does for any request.
            return None
        now = time.time()
        if entry is None or not entry.is_current(token, now) or entry.status != 200:
            return None
        return entry, now
