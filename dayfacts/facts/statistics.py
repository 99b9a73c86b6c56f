"""Keep the database's planner statistics current after bulk writes.

Without statistics SQLite cannot tell that a day (month, day) is far more selective than a
status, and at 100,000 facts it reads the day's headline through the status index: 30 ms
instead of well under 1. Bulk loads (imports, the almanac, demo data) and migrations call
refresh() when they finish.
"""

from django.db import connections


def refresh(using="default"):
    """Recompute the planner's statistics for the facts table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE facts_fact")


def refresh_after_migrate(using="default", **kwargs):
    refresh(using)
