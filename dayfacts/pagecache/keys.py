"""Which stored page a request asks for: its cache key, made from the WSGI environ alone.

The same key is found before Django builds a request (wsgi.CachedPages) and after
(PageCacheMiddleware), from the scheme, the configured host the request names, the path,
the clean query and whether the client takes gzip. Neither the method, nor a junk query
string, nor a made-up Host can add a page or change one.
"""

import functools
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http.request import split_domain_port


def clean_query(query_string, names):
    """The query string with only the parameters in `names`, in a fixed order."""
    pairs = [(name, value) for name, value in parse_qsl(query_string, keep_blank_values=True)
             if name in names]
    pairs.sort(key=lambda pair: pair[0])  # stable: repeated names keep their order
    return urlencode(pairs)


def page_key(meta, query=""):
    """The cache key of the page a request asks for, or None when none may be stored.

    `meta` is the raw WSGI environ (request.META); `query` the clean query string.
    """
    return _key(_scheme(meta), _host(meta), meta.get("SCRIPT_NAME", ""),
                meta.get("PATH_INFO", ""), query, "gzip" in meta.get("HTTP_ACCEPT_ENCODING", ""))


# Every hit asks for a key, and readers ask for the same few addresses over and over: the
# hashing is done once per address. The bound keeps made-up addresses from growing it.
@functools.lru_cache(maxsize=4096)
def _key(scheme, host, script_name, path, query, gzip):
    domain = configured_domain(host)
    if domain is None:
        return None
    address = repr([scheme, domain, script_name, path, query, gzip])
    return "pagecache:page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def _scheme(meta):
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and meta.get(header[0]) == header[1]:
        return "https"
    return meta.get("wsgi.url_scheme", "http")


def _host(meta):
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    return meta.get("HTTP_HOST") or meta.get("SERVER_NAME", "")


def key_host(meta):
    """The host, in lower case and without its port, when the site is configured for it."""
    return configured_domain(_host(meta))


def configured_domain(host):
    """`host` in lower case and without its port when the site is configured for it, else None.

    Configured: a literal entry of ALLOWED_HOSTS or SITE_URL's host. A host matched only by
    a wildcard (".example.org", "*") is served but never stored: one key per configured
    host, not one per name or port an attacker can make up. (No page shows the host it was
    asked for: addresses in pages are paths, or SITE_URL's.)
    """
    domain = split_domain_port(host)[0]
    return domain if domain in configured_hosts() else None


@functools.cache
def configured_hosts():
    hosts = {host.lower() for host in settings.ALLOWED_HOSTS
             if host != "*" and not host.startswith(".")}
    hosts.add(split_domain_port(urlsplit(settings.SITE_URL).netloc)[0])
    return frozenset(hosts)


@receiver(setting_changed)
def _forget_hosts(setting, **kwargs):
    if setting in ("ALLOWED_HOSTS", "SITE_URL"):
        configured_hosts.cache_clear()
        _key.cache_clear()
