"""The cache generation: one token every cached page is stored under, changed on every edit.

Changing the token makes every stored page stale at once, in every process. Where the cache
is shared (Redis) the token lives in the cache; where each process has its own local-memory
cache, it lives in a small file under var/, which every process on the machine reads.
"""

import functools
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

KEY = "pagecache:generation"


def _per_process(backend=None):
    # `cache` is a proxy; the backend behind it tells whether processes share it.
    return isinstance(backend, LocMemCache) if backend else _default_per_process()


# Asked on every request; finding the backend costs more than the rest of the question.
@functools.cache
def _default_per_process():
    return isinstance(caches["default"], LocMemCache)


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    if setting == "CACHES":
        _default_per_process.cache_clear()


def _path():
    return Path(settings.PAGECACHE_GENERATION_FILE)


def _new_token():
    return secrets.token_hex(8)


def _write_file(token):
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # A rename is atomic: a reader sees the old token or the new one, never half of one.
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{token}")
    temporary.write_text(token)
    os.replace(temporary, path)


def _read_file():
    # Read on every request: the bare system calls cost a fraction of Path.read_text(),
    # and the path is taken as it is, not made into a Path each time.
    try:
        fd = os.open(settings.PAGECACHE_GENERATION_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        return os.read(fd, 64).decode() or None
    finally:
        os.close(fd)


def bump():
    """Start a new generation: every page cached so far is stale from now on."""
    token = _new_token()
    if _per_process():
        _write_file(token)
    else:
        cache.set(KEY, token, timeout=None)
    return token


def current():
    """Return the current generation, starting one if there is none yet."""
    token = _read_file() if _per_process() else cache.get(KEY)
    return token or _start()


def _start():
    if _per_process():
        return bump()
    # add() is a no-op when another process started one first; read back whichever won.
    cache.add(KEY, _new_token(), timeout=None)
    return cache.get(KEY)


def lookup(key):
    """Return (current generation, the entry stored under `key` or None) in one round trip."""
    if _per_process():
        return _read_file() or _start(), cache.get(key)
    found = cache.get_many([KEY, key])
    token = found.get(KEY) or _start()
    return token, found.get(key)


def remember(name, make):
    """Return make()'s value, computed once per generation and kept until the content (or
    the clock, see lifetime) changes it: for what several pages, or a page the cache does
    not keep, would otherwise compute again."""
    from . import lifetime

    key = f"pagecache:data:{current()}:{name}"
    found = cache.get(key)
    if found is None:
        found = (make(),)  # in a tuple, so that a value of None is kept too
        expires = lifetime.expiry()
        cache.set(key, found, max(1, int((expires - timezone.now()).total_seconds())))
    return found[0]
