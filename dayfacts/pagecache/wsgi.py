"""CachedPages: a WSGI layer that answers page cache hits before Django's request cycle.

A stored page needs nothing of Django's request cycle: no request object, middleware, URL
resolver, view, database connection or request signals, and on a hit those were nearly all
the time a request took. This layer, between the server and Django's WSGI handler, answers
the common hit, a reader's plain GET, from the WSGI environ alone: the page found under the
key PageCacheMiddleware stores it by, the reader's CSRF secret filled in, the headers
PageCacheMiddleware would give (cache_control), and what the middleware above it adds (the
request id, the request metrics).

Everything else goes on to Django as it came, where PageCacheMiddleware still answers from
the store when it can: a miss, a personal request, a conditional GET (Django's own code
decides 304 or 412), the nginx front cache's requests, a POST, the probes, and the API,
whose rate limit and headers ApiMiddleware applies to each request.
"""

import time

from django.conf import settings
from django.http.cookie import parse_cookie
from django.urls import reverse
from redis.exceptions import RedisError

from dayfacts.ops import metrics
from dayfacts.ops.middleware import ProbeMiddleware, request_id_of

from . import csrf, generation
from .middleware import FRONT_CACHE_HEADER, cache_control, page_key

# Requests with any of these are left to Django (see the module's docstring).
PASSED_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                  "HTTP_IF_UNMODIFIED_SINCE", "HTTP_AUTHORIZATION", FRONT_CACHE_HEADER)


class CachedPages:
    def __init__(self, application):
        self.application = application
        self._passed_paths = None

    def passed_paths(self):
        """Path prefixes always left to Django (read on first use, once URLs are loaded)."""
        if self._passed_paths is None:
            self._passed_paths = (reverse("api:api-root"), settings.STATIC_URL)
        return self._passed_paths

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = self.find(environ)
        if found is None:
            return self.application(environ, start_response)
        entry, cookies, now = found
        headers = [
            *entry.headers,
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("Cache-Control", cache_control(entry, False, now)),
            ("X-Request-ID", request_id_of(environ)),
        ]
        body = entry.body
        if entry.has_token:
            secret, new = csrf.reader_secret(cookies)
            body = body.replace(csrf.PLACEHOLDER_BYTES, secret.encode())
            if new:
                headers += [("Set-Cookie", csrf.cookie_header(secret)), ("Vary", "Cookie")]
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{entry.status} OK", headers)
        metrics.observe(entry.route or "unmatched", environ["REQUEST_METHOD"], entry.status,
                        time.perf_counter() - started)
        return [body]

    def find(self, environ):
        """(stored page, the reader's cookies, now) when this layer may answer the request."""
        path = environ.get("PATH_INFO", "")
        if (not settings.PAGECACHE_ENABLED
                or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
                or path in ProbeMiddleware.PATHS or path.startswith(self.passed_paths())
                or any(name in environ for name in PASSED_HEADERS)):
            return None
        cookies = parse_cookie(environ["HTTP_COOKIE"]) if "HTTP_COOKIE" in environ else {}
        if any(name in cookies for name in settings.PAGECACHE_PERSONAL_COOKIES):
            return None
        try:
            token, entry = generation.lookup(page_key(environ))
        except (OSError, RedisError):
            # The cache is out of reach: Django's request cycle answers, and reports it
            # (the 503 page, /readyz) as it does for any request.
            return None
        now = time.time()
        if (entry is None or not entry.is_current(token, now) or entry.status != 200
                or any(name.lower() == "vary" for name, _ in entry.headers)):
            return None
        return entry, cookies, now
