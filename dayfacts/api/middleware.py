"""The API's HTTP rules for every request under /api/, answered by the view or the page cache.

The page cache (dayfacts.pagecache) may answer an API GET from its store without reaching
the view, so what every API answer must carry is applied here, above it: the per-client
rate limit counts those requests too, and GET answers keep the API's own Cache-Control
(DAYFACTS_API_CACHE_CONTROL) and CORS header. The views add the validators (ETag, 304).
The page cache's WSGI layer, which answers stored API answers before Django, applies the
same two through cached_answer(), a hook this app registers (ApiConfig.ready()).
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse

from dayfacts.ops.middleware import client_address

from .http import rate_limited


def get_headers(status):
    """The headers every API answer to a GET with `status` carries."""
    headers = [("Access-Control-Allow-Origin", "*")]
    if status in (200, 304):
        headers.append(("Cache-Control", settings.DAYFACTS_API_CACHE_CONTROL))
    return headers


def cached_answer(hit):
    """Apply the API's rules to an API answer the page cache's WSGI layer gives from its store.

    The request counts against its client's allowance, as ApiMiddleware counts it, and a
    spent one is refused; otherwise the answer carries the API's headers, not a page's.
    (A page cache hook: dayfacts.pagecache.hooks.)
    """
    # The page's view says it: an API answer was stored from a view of the api namespace.
    if not hit.route.startswith("api:"):
        return
    client_address(tuple(settings.TRUSTED_PROXIES)).apply(hit.environ)
    limited = rate_limited(WSGIRequest(hit.environ))
    if limited is not None:
        hit.replace(limited)
        return
    hit.headers = [(name, value) for name, value in hit.headers if name != "Cache-Control"]
    hit.headers.extend(get_headers(hit.status))


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("api:api-root")

    def __call__(self, request):
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        limited = rate_limited(request)
        if limited is not None:
            return limited
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            for name, value in get_headers(response.status_code):
                response[name] = value
        return response
