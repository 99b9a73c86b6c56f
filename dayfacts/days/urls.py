"""cached_reverse(): reverse() for addresses a page links many times over."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered for the URLconf and script prefix in use.

    A day page links some sixty years and eighty facts; reversing each took a fifth of the
    time the page took to render.
    """
    return _reverse(viewname, tuple(kwargs.items()), settings.ROOT_URLCONF, get_urlconf(),
                    get_script_prefix())


def reverser(viewname):
    """cached_reverse() for one view, with the URLconf and script prefix read once, now.

    For a loop that links dozens of addresses: reading those two request-locals took more
    than half of each cached_reverse() call.
    """
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())

    def address(**kwargs):
        return _reverse(viewname, tuple(kwargs.items()), *where)

    return address


@functools.lru_cache(maxsize=4096)
def _reverse(viewname, kwargs, root_urlconf, urlconf, prefix):
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)
