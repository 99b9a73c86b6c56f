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

Each process keeps the pages it answered lately as they came out of the cache, with the
headers every answer from them shares (Recent). A stored page is good for as long as its
generation is current and it has not expired, wherever it is kept, so a hit reads the
current generation (a small file, or one Redis GET) and nothing more from the cache.

Everything else goes on to Django as it came, where PageCacheMiddleware still answers from
the store when it can: a miss, an address with a query string (whose key depends on the
parameters its view reads), a personal request, a conditional GET (Django's own code
decides 304 or 412), a POST and the paths hooks.never_answer() names (the probes).
"""

import time

from django.http.cookie import parse_cookie
from redis.exceptions import RedisError

from . import generation, hooks
from .keys import page_key
from .middleware import cache_control, may_answer

# Requests with any of these are left to Django (see the module's docstring).
PASSED_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                  "HTTP_IF_UNMODIFIED_SINCE")


class CachedPages:
    def __init__(self, application):
        self.application = application
        self.recent = Recent()

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = self.find(environ)
        if found is None:
            return self.application(environ, start_response)
        (entry, headers), now = found
        hit = hooks.Hit(environ, entry.route, entry.status,
                        [*headers, ("Cache-Control", cache_control(entry, now))],
                        b"" if environ["REQUEST_METHOD"] == "HEAD" else entry.body)
        hooks.before(hit)
        start_response(hit.status_line, hit.headers + hit.added if hit.added else hit.headers)
        hooks.after(hit, time.perf_counter() - started)
        return [hit.body]

    def find(self, environ):
        """((stored page, its headers), now) when this layer may answer the request."""
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
            token = generation.current()
            now = time.time()
            found = self.recent.get(key, token, now)
            if found is None:
                token, entry = generation.lookup(key)
                if entry is None or not entry.is_current(token, now) or entry.status != 200:
                    return None
                found = self.recent.keep(key, entry)
        except (OSError, RedisError):
            # The cache is out of reach: Django's request cycle answers, and reports it
            # (the 503 page, /readyz) as it does for any request.
            return None
        return found, now


class Recent:
    """The stored pages this process answered lately, each with the headers every answer
    from it carries but Cache-Control (which counts down to the page's expiry)."""

    # About 15 KB a page: the addresses readers ask for most, and a bound on the memory.
    LIMIT = 512

    def __init__(self):
        self.pages = {}

    def get(self, key, token, now):
        """(page, headers) stored under `key` when it is still good, else None."""
        found = self.pages.get(key)
        if found is None or not found[0].is_current(token, now):
            return None
        return found

    def keep(self, key, entry):
        """Remember a page found in the cache; return (page, headers)."""
        if len(self.pages) >= self.LIMIT:
            self.pages = {}  # pages of past generations go with the rest
        found = (entry, (
            *entry.headers,
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("Content-Length", str(len(entry.body))),
        ))
        self.pages[key] = found
        return found
