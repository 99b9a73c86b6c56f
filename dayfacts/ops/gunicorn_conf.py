"""gunicorn's configuration for `dayfacts serve`: access log without personal data, metrics.

Loaded by gunicorn as `-c python:dayfacts.ops.gunicorn_conf`; command-line options given
after it (bind, workers) still apply.
"""

import logging
import os

from dayfacts.ops.logs import mask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
from django.conf import settings  # noqa: E402  (needs DJANGO_SETTINGS_MODULE)
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

try:
    settings.LOGGING  # noqa: B018  (reads the settings, which check the environment)
except ImproperlyConfigured as error:
    raise SystemExit(f"dayfacts: {error}") from None

# Method, path without its query string, status, bytes and milliseconds; AccessFields adds
# the request id the app answered with. No client address, user agent or referrer: those
# identify readers.
accesslog = "-"
# One control socket per user ($HOME/.gunicorn/gunicorn.ctl) would be shared by every
# gunicorn on the machine; dayfacts serve supervises its own, so it needs none.
control_socket_disable = True
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"


class AccessFields(logging.Filter):
    """Copy the access log's parts into fields of their own for the JSON formatter."""

    def filter(self, record):
        atoms = record.args if isinstance(record.args, dict) else None
        if atoms is not None:
            record.request_id = atoms.get("{x-request-id}o") or "-"
            record.method = atoms.get("m")
            record.path = mask(atoms.get("U") or "")
            record.status = atoms.get("s")
            record.duration_ms = atoms.get("M")
        return True


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "access_fields": {"()": AccessFields},
        "request_id": {"()": "dayfacts.ops.logs.RequestIdFilter"},
        "personal_data": {"()": "dayfacts.ops.logs.PersonalDataFilter"},
    },
    "formatters": settings.LOGGING["formatters"],
    "handlers": {
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                   "formatter": settings.LOG_FORMAT,
                   "filters": ["access_fields", "request_id", "personal_data"]},
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                  "formatter": settings.LOG_FORMAT, "filters": ["request_id", "personal_data"]},
    },
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["error"], "level": "INFO"},
}


def child_exit(server, worker):
    """Drop a finished worker's live gauges from the shared metrics directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
