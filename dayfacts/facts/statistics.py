"""Keep the database's planner statistics current after bulk writes.

Without statistics SQLite cannot tell that a day (month, day) is far more selective than a
status, and reads the day's headline through the status index, walking most of the table's
published rows instead of one day's. Bulk loads (imports, the almanac, demo data) and
migrations call refresh() when they finish.
"""

from django.db import connections


def refresh(using="default"):
    """Recompute the planner's statistics for the facts table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("ANALYZE facts_fact")
        elif connection.vendor == "postgresql":
            # VACUUM also marks the freshly written pages all-visible, so a day's counts are
            # read from the day index alone instead of from every row the index points to.
            # It cannot run inside a transaction.
            cursor.execute("VACUUM (ANALYZE) facts_fact")


def refresh_after_migrate(using="default", **kwargs):
    refresh(using)
