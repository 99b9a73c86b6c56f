"""Waiting out a failure: delays that double, and the database failures worth waiting for."""

from contextlib import suppress

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError


class Backoff:
    """Delays that start at `first` seconds and double up to `longest` until reset."""

    def __init__(self, first=1.0, longest=30.0):
        self.first = first
        self.longest = longest
        self.delay = None

    def next(self):
        """Return the delay before the next attempt."""
        self.delay = self.first if self.delay is None else min(self.delay * 2, self.longest)
        return self.delay

    def reset(self):
        """Start again from the first delay: the last attempt went well."""
        self.delay = None


def database_unavailable(error, using=DEFAULT_DB_ALIAS):
    """Whether `error` says the database is locked or out of reach, rather than that the
    query is wrong (a missing table, a constraint): the first passes, the second does not."""
    if isinstance(error, InterfaceError):
        return True  # the connection is closed
    if not isinstance(error, OperationalError):
        return False
    if "is locked" in str(error):
        return True  # SQLite: another process held the write lock past the busy timeout
    connection = connections[using]
    # Could not connect at all, or the server dropped the connection (a restart, a
    # failover, an administrator's pg_terminate_backend).
    return connection.connection is None or not connection.is_usable()


def close_connections():
    """Close every database connection of this thread, even broken ones, so the next
    query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with suppress(DatabaseError, InterfaceError):
            connection.close()
