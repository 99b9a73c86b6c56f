"""cached_reverse(): reverse() for addresses a page links many times over."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered for the URLconf and script prefix in use.

    A day page links some sixty years and eighty facts; reversing each one anew would
    walk the URLconf for every link.
    """
    return _reverse(viewname, tuple(kwargs.items()), settings.ROOT_URLCONF, get_urlconf(),
                    get_script_prefix())


def reverser(viewname):
    """cached_reverse() for one view, with the URLconf and script prefix read once, now.

    For a loop that links dozens of addresses: reading those two request-locals is most
    of what a cached_reverse() call does, so it is done once for the loop.
    """
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())

    def address(**kwargs):
        return _reverse(viewname, tuple(kwargs.items()), *where)

    return address


@functools.lru_cache(maxsize=4096)
def _reverse(viewname, kwargs, root_urlconf, urlconf, prefix):
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)
