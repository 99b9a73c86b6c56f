"""What /readyz checks: each service a request or a task needs, asked for a trivial answer."""

import uuid

from django.core.cache import cache
from django.db import connection


def database():
    """Run SELECT 1 on the default database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_roundtrip():
    """Write a value to the cache and read it back."""
    key, value = "ops:readyz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was written")


def task_queue():
    """Reach the task backend's store: Redis for the RQ backend, its table otherwise."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_rq"):
        import django_rq

        for name in backend.queues:
            django_rq.get_connection(name).ping()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS = {"database": database, "cache": cache_roundtrip, "queue": task_queue}


def run_checks():
    """Return {check name: None when it passed, else the exception's class name}."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the name says which kind
            results[name] = type(exc).__name__
        else:
            results[name] = None
    return results
