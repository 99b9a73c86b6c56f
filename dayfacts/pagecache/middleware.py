"""PageCacheMiddleware: serve the site's public pages from the cache, one copy for everyone.

It sits early, after the request id, metrics and probes: a stored page has already been
through the security, CSP, session, common and CSRF middleware (their headers are stored
with it), so a hit skips them, the URL resolver and the view. A stored page holds nothing
of any reader's: its forms carry no token (dayfacts.ops.origin), so the bytes one reader
gets are the bytes every reader, the nginx front cache and a CDN get. See docs/caching.md.

Only a GET's answer is stored, under a key made of what the view reads and nothing else:
the configured host, the path and the query parameters the view names (reads_query), so
neither the method nor a junk query string nor a made-up Host can add or change a page.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import generation, lifetime
from .keys import clean_query, page_key

# Headers a stored page keeps; the rest are made per response or by outer middleware.
SKIPPED_HEADERS = {"date", "content-length", "etag", "last-modified", "cache-control", "expires"}


def reads_query(*names, uncached=()):
    """Name the query parameters a cached view reads (a decorator for views and view classes).

    The page cache keys a page on these alone and hands the view only these, so any other
    parameter leaves the answer, and the cache, as they were. A parameter in `uncached`
    (a no-JavaScript reply link, say) is read too, but its pages are rendered, not stored.
    """
    def mark(view):
        if not isinstance(view, type):
            view = functools.wraps(view)(functools.partial(view))
        view.pagecache_query = frozenset(names) | frozenset(uncached)
        view.pagecache_uncached = frozenset(uncached)
        return view
    return mark


def view_reads(func):
    """(parameters, uncached parameters) the resolved view function `func` declared."""
    view = getattr(func, "view_class", func)
    return (getattr(view, "pagecache_query", frozenset()),
            getattr(view, "pagecache_uncached", frozenset()))


def is_personal(meta, cookies):
    """Whether the request carries something that makes its page differ for this reader."""
    if "HTTP_AUTHORIZATION" in meta:
        return True
    return bool(cookies) and any(name in cookies for name in settings.PAGECACHE_PERSONAL_COOKIES)


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
    """A stored page: the body every reader gets, and what validates it."""

    __slots__ = ("generation", "expires", "status", "headers", "body", "etag", "modified",
                 "last_modified", "control", "route")

    def __init__(self, generation, expires, status, headers, body, control="", route=""):
        self.generation = generation
        self.expires = expires
        self.status = status
        self.headers = headers
        self.body = body
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        self.etag = f'"{digest}"'
        self.modified = int(time.time())
        self.last_modified = http_date(self.modified)
        # The view's own Cache-Control (the API's), given to readers as it was.
        self.control = control
        # The view's name, for the request metrics of the answers given from the store.
        self.route = route

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
        if not may_answer(request.method, request.path, request.META, request.COOKIES):
            return self.get_response(request)
        match, query = None, request.META.get("QUERY_STRING", "")
        if query:
            # Which parameters count is the view's to say: find it before the key.
            match = self.cached_match(request)
            if match is None:
                return self.get_response(request)
            names, uncached = view_reads(match.func)
            query = clean_query(query, names)
            if uncached & request.GET.keys():
                return self.get_response(request)
        key = page_key(request.META, query)
        if key is None:
            return self.get_response(request)
        token, entry = generation.lookup(key)
        now = time.time()
        # Shared caches downstream key on the address as sent: they keep only the clean one.
        shared = query == request.META.get("QUERY_STRING", "")
        if entry is not None and entry.is_current(token, now):
            return answer(request, entry, now, shared)
        # A HEAD is rendered but never stored: its answer may lack the body a GET needs.
        if request.method != "GET" or (match is None and not self.cached_match(request)):
            return self.get_response(request)

        # The view sees the parameters the key holds, and no others.
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        response = self.get_response(request)
        if not self.storable(request, response):
            return response
        expires = lifetime.expiry(timezone.now()).timestamp()
        headers = [(name, value) for name, value in response.items()
                   if name.lower() not in SKIPPED_HEADERS]
        match = getattr(request, "resolver_match", None) or match
        entry = Entry(token, expires, response.status_code, headers, response.content,
                      response.get("Cache-Control", ""), match.view_name if match else "")
        timeout = max(1, int(expires - now))
        cache.set(key, entry, timeout)
        return answer(request, entry, now, shared)

    def cached_match(self, request):
        """The URL's match when it names a view whose page the cache shares, else None."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match if is_cached_view(match.view_name) else None

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


def cache_control(entry, now, shared=True):
    """The Cache-Control of an answer from `entry`: who may keep it, and for how long."""
    if not shared:
        return "private, max-age=0"
    # What the view said (the API's), or: any shared cache (the nginx front cache, a CDN)
    # may keep it PAGECACHE_SHARED_MAX_AGE at most, so that an edit shows soon; a browser
    # asks again each time, cheaply, with the ETag.
    shared_age = max(0, min(settings.PAGECACHE_SHARED_MAX_AGE, int(entry.expires - now)))
    return entry.control or f"public, max-age=0, s-maxage={shared_age}"


def answer(request, entry, now, shared=True):
    """Build the response for one reader from a stored page, or a 304 when theirs is current."""
    response = HttpResponse(status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = entry.etag
    response["Last-Modified"] = entry.last_modified
    response["Cache-Control"] = cache_control(entry, now, shared)
    conditional = get_conditional_response(
        request, etag=entry.etag, last_modified=entry.modified, response=response
    )
    if conditional is not response:
        return conditional
    if request.method == "HEAD":
        response["Content-Length"] = str(len(entry.body))
    else:
        response.content = entry.body
    return response
