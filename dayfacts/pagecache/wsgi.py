"""CachedPages: a WSGI layer that answers page cache hits before Django's request cycle.

A stored page needs nothing of Django's request cycle: no request object, middleware, URL
resolver, view, database connection or request signals, and on a hit those were nearly all
the time a request took. This layer, between the server and Django's WSGI handler, answers
the common hit, a reader's plain GET or HEAD of an address with no query string, from the
WSGI environ alone: the page found under the key PageCacheMiddleware stores it by, as it
was stored, the headers PageCacheMiddleware would give (cache_control), and what the
middleware above it adds, which the apps that own that middleware add here through hooks
(dayfacts.pagecache.hooks): the request id and the request metrics (ops), the client's
rate limit and the API's own headers (api).

Everything else goes on to Django as it came, where PageCacheMiddleware still answers from
the store when it can: a miss, an address with a query string (whose key depends on the
parameters its view reads), a personal request, a conditional GET (Django's own code
decides 304 or 412), a POST and the paths hooks.never_answer() names (the probes).
"""

import time

from django.http.cookie import parse_cookie
from redis.exceptions import RedisError

from . import generation, hooks
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
        head = environ["REQUEST_METHOD"] == "HEAD"
        hit = hooks.Hit(environ, entry.route, entry.status, [
            *entry.headers,
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("Cache-Control", cache_control(entry, now)),
            ("Content-Length", str(len(entry.body))),
        ], b"" if head else entry.body)
        hooks.before(hit)
        start_response(f"{hit.status} {hit.reason}", [*hit.headers, *hit.added])
        hooks.after(hit, time.perf_counter() - started)
        return [hit.body]

    def find(self, environ):
        """(stored page, now) when this layer may answer the request."""
        path = environ.get("PATH_INFO", "")
        if (path in hooks.passed_paths or environ.get("QUERY_STRING")
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
