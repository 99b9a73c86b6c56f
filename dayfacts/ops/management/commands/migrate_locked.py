"""`dayfacts migrate_locked`: migrate, one process at a time, however many start together."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# Any constant the site's other code does not use; PostgreSQL advisory locks are per database.
LOCK_ID = 0x6461_7966  # "dayf"


class Command(BaseCommand):
    help = ("Apply migrations while holding a PostgreSQL advisory lock, so containers or "
            "servers that start at once migrate in turn; the rest then find nothing to do.")

    def handle(self, *args, verbosity, **options):
        if connection.vendor != "postgresql":
            # SQLite serves one machine; its IMMEDIATE transactions already queue writers.
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
            try:
                call_command("migrate", interactive=False, verbosity=verbosity)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
