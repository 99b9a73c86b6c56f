"""What every test and benchmark that starts real `dayfacts` processes needs: a free port, a
clean environment for the process, and a plain HTTP GET."""

import os
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAYFACTS = [sys.executable, "-m", "dayfacts"]

# Variables a started process must not inherit from the shell or the CI run unless given.
SITE_VARIABLES = {
    "DAYFACTS_ENV", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL",
    "EMAIL_URL", "TASKS_USE_REDIS", "METRICS_TOKEN", "LOG_FORMAT", "CACHE_KEY_PREFIX",
    "PROMETHEUS_MULTIPROC_DIR", "DAYFACTS_TEST_DB_NAME", "DATABASE_POOL",
    "DJANGO_SETTINGS_MODULE", "PAGECACHE_ENABLED", "PAGECACHE_SHARED_MAX_AGE",
    "DAYFACTS_BENCH_VIEWS", "DAYFACTS_SERVER", "ACCESS_LOG",
}


def free_port():
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(var_dir, **variables):
    """This process's environment without the site's variables, plus `variables` and its
    own var directory."""
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env["DAYFACTS_VAR_DIR"] = str(var_dir)
    env["PYTHONPATH"] = str(REPO)
    env.update({k: str(v) for k, v in variables.items()})
    return env


def get(url, headers=None, timeout=10):
    """GET url and return (status, headers, body text), for any status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
