"""The CSRF token of a cached page: a placeholder where it is stored, the reader's secret sent.

A cached page is rendered once for everyone, so it cannot hold one reader's token. While
the page cache renders a page it hands templates PLACEHOLDER as `csrf_token`; each response
then gets the reader's own CSRF secret in its place, and a reader who has none gets a new
one and the cookie that carries it. Behind the nginx front cache the placeholder is left
in and nginx does the same (deploy/nginx/dayfacts-http.conf).

Django accepts the unmasked secret as a form token. It masks its own tokens against
BREACH, which needs a compressed response; neither the app nor the nginx configuration
compresses pages, and a fresh secret costs one system call where Django's masking makes
sixty-four: on a cache hit that was a third of the work.
"""

import functools
import re
import secrets
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

# Letters and hyphens only, so HTML escaping leaves it as it is and nginx can match it.
PLACEHOLDER = "dayfacts-csrf-token-placeholder"
PLACEHOLDER_BYTES = PLACEHOLDER.encode()
# Django's secret: 32 letters and digits (django.middleware.csrf.CSRF_SECRET_LENGTH).
SECRET = re.compile(r"[a-zA-Z0-9]{32}")


def context_processor(request):
    """Give templates the placeholder instead of a token while a shared page is rendered."""
    if getattr(request, "pagecache_placeholder", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def reader_secret(cookies):
    """(secret, new): the reader's CSRF secret from their cookies, or a new one to set."""
    secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
    if SECRET.fullmatch(secret):
        return secret, False
    return secrets.token_hex(16), True  # 128 random bits, in letters and digits


def set_cookie(response, secret):
    """Set the CSRF cookie on `response` as Django's CsrfViewMiddleware does, from the same
    settings."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME, secret, max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN, path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE, httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


def cookie_header(secret):
    """The Set-Cookie value that gives a new reader `secret`, as set_cookie() writes it."""
    name, attributes = _cookie_parts(int(time.time()))
    return f"{name}={secret}; {attributes}"


@functools.lru_cache(maxsize=2)
def _cookie_parts(second):
    # Everything after the value changes at most once a second (the expiry date), so it is
    # written once a second, by Django, on a response nobody gets.
    scratch = HttpResponse()
    set_cookie(scratch, "-")
    name = settings.CSRF_COOKIE_NAME
    return name, scratch.cookies[name].OutputString().split("; ", 1)[1]


@receiver(setting_changed)
def _forget_cookie_parts(setting, **kwargs):
    if setting.startswith("CSRF_COOKIE_"):
        _cookie_parts.cache_clear()


def fill(request, response, body):
    """Give `response` the page `body` (bytes) with the reader's CSRF secret in place of the
    placeholder, setting the CSRF cookie for a reader who has no valid one."""
    if PLACEHOLDER_BYTES not in body:
        response.content = body
        return
    name = settings.CSRF_COOKIE_NAME
    if name in response.cookies:  # the view's own page set one: its forms use that
        secret = response.cookies[name].value
    else:
        secret, new = reader_secret(request.COOKIES)
        if new:
            set_cookie(response, secret)
            patch_vary_headers(response, ("Cookie",))
    response.content = body.replace(PLACEHOLDER_BYTES, secret.encode())
