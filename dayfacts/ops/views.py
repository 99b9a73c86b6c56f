import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST

from . import metrics, readiness

logger = logging.getLogger(__name__)


def healthz(request):
    """Answer 200 while the process can answer at all (liveness; /readyz checks services)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz(request):
    """Answer 200 when the database, cache and task queue answer; 503 naming what failed."""
    results = readiness.run_checks()
    failed = {name: error for name, error in results.items() if error}
    lines = [f"{name}: {'failed (' + error + ')' if error else 'ok'}" for name, error in
             results.items()]
    if failed:
        logger.warning("not ready: %s", ", ".join(f"{n} ({e})" for n, e in failed.items()))
    return HttpResponse("\n".join(lines) + "\n", status=503 if failed else 200,
                        content_type="text/plain")


def metrics_view(request):
    """Serve Prometheus metrics to the bearer of METRICS_TOKEN, or to loopback clients."""
    if not _may_scrape(request):
        response = HttpResponse("metrics need the bearer token\n", status=401,
                                content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)


def _may_scrape(request):
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    # Without a token only a scraper on this machine may read, and not through the proxy:
    # behind nginx every request comes from loopback, but carries X-Forwarded-For.
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
