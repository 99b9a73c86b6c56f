"""Middleware that tags each request with an id, counts it for /metrics, and answers probes."""

import functools
import ipaddress
import logging
import re
import secrets
import time

from django.urls import resolve

from . import metrics
from .logs import request_id

# An id from the proxy is kept only when it is short and plain, so a client cannot write
# arbitrary text into the logs through the header.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

log = logging.getLogger(__name__)


def request_id_of(meta):
    """The request's id: the X-Request-ID it came with when that is plain, or a new one."""
    given = meta.get("HTTP_X_REQUEST_ID", "")
    return given if VALID_REQUEST_ID.fullmatch(given) else secrets.token_hex(16)


class RequestIdMiddleware:
    """Take the request id from X-Request-ID (or make one), log with it, and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_of(request.META)
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class MetricsMiddleware:
    """Count requests and time them, labelled by route name rather than path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe_request(request, response, time.perf_counter() - started)
        return response


# The same two for the answers the page cache's WSGI layer gives before Django
# (hooks registered in OpsConfig.ready(); see dayfacts.pagecache.hooks).

def tag_cached_answer(hit):
    """Give an answer from the page cache's store the request's id, as RequestIdMiddleware does."""
    hit.add_header("X-Request-ID", request_id_of(hit.environ))


def count_cached_answer(hit, seconds):
    """Count an answer from the page cache's store for /metrics, as MetricsMiddleware does."""
    metrics.observe(hit.route or "unmatched", hit.environ["REQUEST_METHOD"], hit.status, seconds)


class ProbeMiddleware:
    """Answer /healthz, /readyz and /metrics before host checks, redirects and the page cache.

    Load balancers and Prometheus reach each app server by its address, not the site's
    name, over plain HTTP; and a probe must report a broken cache, not fail inside it.
    """

    PATHS = {"/healthz", "/readyz", "/metrics"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in self.PATHS:
            return self.get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)


# The address given to a request that came with none (a unix socket): not loopback, so it
# earns no local privileges; list it in TRUSTED_PROXIES for a proxy on a unix socket.
UNKNOWN_PEER = "0.0.0.0"
# Untrusted peers whose X-Forwarded-For each process reports; past that it says nothing more,
# so a client sending the header from many addresses cannot flood the log.
REPORTED_PEERS_MAX = 100


class ClientAddress:
    """Set REMOTE_ADDR to the reader's address when the request came through a trusted proxy.

    Flood control, duplicate checks and rate limits know a reader by REMOTE_ADDR; behind
    nginx or a load balancer that is the proxy's address for everyone. X-Forwarded-For is
    read from the right, skipping trusted proxies, because a client can write anything at
    its left end.
    """

    def __init__(self, trusted_proxies):
        self.trusted = [ipaddress.ip_network(net, strict=False) for net in trusted_proxies]
        self.reported = set()

    def is_trusted(self, address):
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def apply(self, meta, report_untrusted=False):
        """Correct REMOTE_ADDR in `meta` (a WSGI environ or request.META) in place.

        With `report_untrusted`, log once per peer that sent X-Forwarded-For untrusted.
        """
        # A server on a unix socket gives no peer address; the rate limits need one.
        if not meta.get("REMOTE_ADDR"):
            meta["REMOTE_ADDR"] = UNKNOWN_PEER
        if self.trusted and self.is_trusted(meta["REMOTE_ADDR"]):
            hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
            for hop in reversed([hop.strip() for hop in hops if hop.strip()]):
                if not self.is_trusted(hop):
                    try:
                        meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                    except ValueError:
                        pass  # a malformed hop: keep the proxy's address rather than guess
                    break
        elif report_untrusted and meta.get("HTTP_X_FORWARDED_FOR"):
            self.report(meta["REMOTE_ADDR"])

    def report(self, peer):
        """Warn that `peer` sent X-Forwarded-For and is not trusted, the first time it does."""
        # Most likely the proxy in front is missing from TRUSTED_PROXIES: then every reader
        # shares its address, and one reader's failures lock the others out.
        if peer in self.reported or len(self.reported) >= REPORTED_PEERS_MAX:
            return
        self.reported.add(peer)
        # The log masks the address; whether it is private tells a proxy from a client.
        try:
            kind = "private" if ipaddress.ip_address(peer).is_private else "public"
        except ValueError:
            kind = "unreadable"
        log.warning("X-Forwarded-For from %s (a %s address) ignored: it is not in "
                    "TRUSTED_PROXIES; if it is the proxy in front, add it there", peer, kind)


@functools.lru_cache(maxsize=4)
def client_address(trusted_proxies):
    """The ClientAddress for a tuple of TRUSTED_PROXIES, made once."""
    return ClientAddress(trusted_proxies)


class ClientAddressMiddleware:
    """ClientAddress for every request that reaches Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        client_address(tuple(settings.TRUSTED_PROXIES)).apply(
            request.META, report_untrusted=settings.PRODUCTION
        )
        return self.get_response(request)
