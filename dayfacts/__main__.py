"""The `dayfacts` console script: Django's management commands for this site."""

import os
import sys


def main(argv=None):
    """Run a management command, e.g. `dayfacts migrate` or `dayfacts import --list`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv or sys.argv)
    except ImproperlyConfigured as error:
        # A setting the operator must fix (often a missing environment variable): say which,
        # without a traceback through Django's internals.
        sys.exit(f"dayfacts: {error}")


if __name__ == "__main__":
    main()
