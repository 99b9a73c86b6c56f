"""PageCacheMiddleware: serve the site's public pages from the cache, fresh and per reader.

It sits early, after the request id, metrics and probes: a stored page has already been
through the security, CSP, session, common and CSRF middleware (their headers are stored
with it), so a hit skips them, the URL resolver and the view. The one personal part, the
CSRF token, is filled in per reader by csrf.fill. See docs/caching.md for the whole design.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import csrf, generation, lifetime

# Headers a stored page keeps; the rest are made per response or by outer middleware.
SKIPPED_HEADERS = {"date", "content-length", "etag", "last-modified", "cache-control", "expires"}
# The request header the nginx front cache sends: leave the CSRF placeholder in for nginx.
FRONT_CACHE_HEADER = "HTTP_X_DAYFACTS_FRONT_CACHE"


def page_key(meta):
    """The cache key of the page a request asks for, from its WSGI environ (request.META).

    It is made of the address as the client sent it (scheme, host, path and query, and the
    proxy headers Django reads them from) and whether the client takes gzip, for answers
    that vary on it. Read from the raw environ, the same key is found before Django builds
    a request (wsgi.CachedPages) and after (this middleware); a host Django refuses never
    has a page stored under it, since storing takes a page Django rendered.
    """
    parts = [meta.get(name, "") for name in _key_headers()]
    parts.append("gzip" in meta.get("HTTP_ACCEPT_ENCODING", ""))
    address = repr(parts)
    return "pagecache:page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


@functools.cache
def _key_headers():
    names = ["wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME",
             "PATH_INFO", "QUERY_STRING"]
    if settings.SECURE_PROXY_SSL_HEADER:
        names.append(settings.SECURE_PROXY_SSL_HEADER[0])
    if settings.USE_X_FORWARDED_HOST:
        names.append("HTTP_X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        names.append("HTTP_X_FORWARDED_PORT")
    return names


def is_personal(meta, cookies):
    """Whether the request carries something that makes its page differ for this reader."""
    return (
        any(name in cookies for name in settings.PAGECACHE_PERSONAL_COOKIES)
        or "HTTP_AUTHORIZATION" in meta
    )


def may_answer(method, path, meta, cookies):
    """Whether the cache may answer this request at all (the page is then still to be found).

    Taken apart so that the WSGI layer, which has no request object, asks the same.
    """
    return (settings.PAGECACHE_ENABLED and method in ("GET", "HEAD")
            and not is_personal(meta, cookies) and not path.startswith(settings.STATIC_URL))


def matches(view_name, pattern):
    """Whether `view_name` ("facts:day") is `pattern` ("facts:day" or "facts:*")."""
    return view_name == pattern or (
        pattern.endswith(":*") and view_name.rpartition(":")[0] == pattern[:-2]
    )


def is_cached_view(view_name):
    """Whether the view named `view_name` ("facts:day") shows a page the cache may share.

    PAGECACHE_VIEWS lists "namespace:*" or "namespace:name"; "-namespace:name" excludes.
    """
    if not view_name:
        return False
    patterns = settings.PAGECACHE_VIEWS
    if "-" + view_name in patterns:
        return False
    return any(matches(view_name, pattern) for pattern in patterns)


def vary_words(response):
    """The request headers `response` varies on, in lower case."""
    return {word.strip().lower() for word in response.get("Vary", "").split(",") if word.strip()}


class Entry:
    """A stored page: the body with the CSRF placeholder, and what validates it."""

    __slots__ = ("generation", "expires", "status", "headers", "body", "etag", "modified",
                 "last_modified", "control", "route", "has_token")

    def __init__(self, generation, expires, status, headers, body, control="", route=""):
        self.generation = generation
        self.expires = expires
        self.status = status
        self.headers = headers
        self.body = body
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        # Weak: the bytes a reader gets differ by their CSRF token, the page does not.
        self.etag = f'W/"{digest}"'
        self.modified = int(time.time())
        self.last_modified = http_date(self.modified)
        # The view's own Cache-Control (the API's), given to readers as it was.
        self.control = control
        # The view's name, for the request metrics of the answers given from the store.
        self.route = route
        # Whether the page has a form, whose CSRF token is then filled in per reader.
        self.has_token = csrf.PLACEHOLDER_BYTES in body

    def is_current(self, token, now):
        return self.generation == token and self.expires > now

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        if len(state) != len(self.__slots__):  # stored by an older version: never current
            self.generation = None
            return
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        front = request.META.get(FRONT_CACHE_HEADER) == "1"
        if front:
            request.pagecache_placeholder = True
        if not may_answer(request.method, request.path, request.META, request.COOKIES):
            return self.get_response(request)

        key = page_key(request.META)
        token, entry = generation.lookup(key)
        now = time.time()
        if entry is not None and entry.is_current(token, now):
            return answer(request, entry, front, now)
        if not self.may_cache(request):
            return self.get_response(request)

        request.pagecache_placeholder = True
        response = self.get_response(request)
        if not self.storable(request, response):
            if not front and not response.streaming:
                csrf.fill(request, response, response.content)
            return response
        expires = lifetime.expiry(timezone.now()).timestamp()
        headers = [(name, value) for name, value in response.items()
                   if name.lower() not in SKIPPED_HEADERS]
        match = getattr(request, "resolver_match", None)
        entry = Entry(token, expires, response.status_code, headers, response.content,
                      response.get("Cache-Control", ""), match.view_name if match else "")
        timeout = max(1, int(expires - now))
        cache.set(key, entry, timeout)
        return answer(request, entry, front, now)

    def may_cache(self, request):
        """Whether the URL names a view whose page the cache shares (decided before the view)."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return is_cached_view(match.view_name)

    def storable(self, request, response):
        """Whether what the view answered is the same for every reader."""
        session = getattr(request, "session", None)
        cache_control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and vary_words(response) <= {"accept-encoding"}
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and not (session is not None and session.accessed)
        )


def cache_control(entry, front, now):
    """The Cache-Control of an answer from `entry`: who may keep it, and for how long."""
    shared_age = max(0, min(settings.PAGECACHE_SHARED_MAX_AGE, int(entry.expires - now)))
    if front:
        # The front cache keeps it at most PAGECACHE_SHARED_MAX_AGE: an edit shows soon.
        return f"public, max-age=0, s-maxage={shared_age}"
    if entry.has_token:
        # The body carries this reader's token: only their own browser may keep it.
        return "private, max-age=0, must-revalidate"
    # What the view said (the API's), or what any page the same for everyone may have.
    return entry.control or f"public, max-age=0, s-maxage={shared_age}"


def answer(request, entry, front, now):
    """Build the response for one reader from a stored page, or a 304 when theirs is current."""
    response = HttpResponse(status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = entry.etag
    response["Last-Modified"] = entry.last_modified
    response["Cache-Control"] = cache_control(entry, front, now)
    conditional = get_conditional_response(
        request, etag=entry.etag, last_modified=entry.modified, response=response
    )
    if conditional is not response:
        return conditional
    if front:
        response.content = entry.body
    else:
        csrf.fill(request, response, entry.body)
    return response
