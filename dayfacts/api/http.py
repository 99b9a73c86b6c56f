"""What every API answer shares: problem+json errors, the rate limit, caching and CORS headers."""

import functools
import hashlib
import json
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import conditional_page
from django_ratelimit.core import get_usage

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """An error a client caused, answered as an RFC 9457 problem document."""

    def __init__(self, status, detail, errors=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers


def problem_response(status, detail, headers=None, errors=None):
    """Answer `status` with a problem+json body naming what went wrong."""
    body = {
        "status": status,
        # "about:blank" says the title is the HTTP status phrase and nothing more is defined.
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def etag_of(content):
    """A strong entity tag for bytes."""
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def json_response(content, *, etag=None, last_modified=None):
    """Answer prepared JSON bytes with a strong ETag (and Last-Modified when known)."""
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["ETag"] = etag or etag_of(content)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def rate_limited(request):
    """Count this request against its client's allowance; return a 429 answer when spent."""
    # A request with no peer address (a test client, some socket setups) shares one allowance
    # instead of failing in django-ratelimit's address lookup.
    key = "ip" if request.META.get("REMOTE_ADDR") else (lambda group, request: "no-address")
    usage = get_usage(request, group="api", key=key, rate=settings.DAYFACTS_API_RATE_LIMIT,
                      increment=True)
    if usage and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        return problem_response(
            429, f"Too many requests from this client; try again in {wait} seconds.",
            {"Retry-After": str(wait)},
        )
    return None


def api_headers(view):
    """Wrap an API view so that its GET answers carry validators and honour them.

    Django's conditional_page adds an ETag where the view set none and turns a matching
    If-None-Match or If-Modified-Since into a 304. The rate limit, Cache-Control and CORS
    are applied to every /api/ request by ApiMiddleware, above the page cache.
    """
    conditional_view = conditional_page(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        response = conditional_view(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return wrapped
