"""gunicorn's configuration for `dayfacts serve --server gunicorn`: its log as JSON, metrics.

The access log is the app's own (dayfacts.ops.access), the same under either server.

Loaded by gunicorn as `-c python:dayfacts.ops.gunicorn_conf`; command-line options given
after it (bind, workers) still apply.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
from django.conf import settings  # noqa: E402  (needs DJANGO_SETTINGS_MODULE)
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

try:
    settings.LOGGING  # noqa: B018  (reads the settings, which check the environment)
except ImproperlyConfigured as error:
    raise SystemExit(f"dayfacts: {error}") from None

# One control socket per user ($HOME/.gunicorn/gunicorn.ctl) would be shared by every
# gunicorn on the machine; dayfacts serve supervises its own, so it needs none.
control_socket_disable = True


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "dayfacts.ops.logs.RequestIdFilter"},
        "personal_data": {"()": "dayfacts.ops.logs.PersonalDataFilter"},
    },
    "formatters": settings.LOGGING["formatters"],
    "handlers": {
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                  "formatter": settings.LOG_FORMAT, "filters": ["request_id", "personal_data"]},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["error"], "level": "INFO"},
}


def child_exit(server, worker):
    """Drop a finished worker's live gauges from the shared metrics directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
