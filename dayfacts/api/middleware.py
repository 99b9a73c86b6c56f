"""The API's HTTP rules for every request under /api/, answered by the view or the page cache.

The page cache (dayfacts.pagecache) may answer an API GET from its store without reaching
the view, so what every API answer must carry is applied here, above it: the per-client
rate limit counts those requests too, and GET answers keep the API's own Cache-Control
(DAYFACTS_API_CACHE_CONTROL) and CORS header. The views add the validators (ETag, 304).
"""

from django.conf import settings
from django.urls import reverse

from .http import rate_limited


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
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code in (200, 304):
                response["Cache-Control"] = settings.DAYFACTS_API_CACHE_CONTROL
        return response
