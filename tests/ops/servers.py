"""Start real app servers (`dayfacts serve`) and other `dayfacts` processes for the ops tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAYFACTS = [sys.executable, "-m", "dayfacts"]

# Variables a test's server must not inherit from the shell or the CI run unless given.
SITE_VARIABLES = {
    "DAYFACTS_ENV", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL",
    "EMAIL_URL", "TASKS_USE_REDIS", "METRICS_TOKEN", "LOG_FORMAT", "CACHE_KEY_PREFIX",
    "PROMETHEUS_MULTIPROC_DIR", "DAYFACTS_TEST_DB_NAME", "DATABASE_POOL",
}


def free_port():
    """Return a loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(var_dir, **variables):
    """Return an environment for a dayfacts process: this one's, minus the site's variables,
    plus `variables` and its own var directory."""
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DAYFACTS_VAR_DIR"] = str(var_dir)
    env["PYTHONPATH"] = str(REPO)
    env.update({k: str(v) for k, v in variables.items()})
    return env


def run(argv, env, timeout=120):
    """Run a `dayfacts` command to completion and return the CompletedProcess."""
    return subprocess.run([*DAYFACTS, *argv], env=env, cwd=env["DAYFACTS_VAR_DIR"],
                          capture_output=True, text=True, timeout=timeout)


def get(url, headers=None, timeout=10):
    """GET url and return (status, headers, body text), for any status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Server:
    """One `dayfacts serve --web-only` on a free loopback port."""

    def __init__(self, env, workers=1, log_dir=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log_dir = Path(log_dir or env["DAYFACTS_VAR_DIR"])
        self.stdout_path = log_dir / f"serve-{self.port}.out"
        self.stderr_path = log_dir / f"serve-{self.port}.err"
        self.process = subprocess.Popen(
            [*DAYFACTS, "serve", "--web-only", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, cwd=env["DAYFACTS_VAR_DIR"],
            stdout=self.stdout_path.open("w"), stderr=self.stderr_path.open("w"),
        )

    def wait_until_up(self, timeout=30):
        """Wait for the server to answer /healthz; fail with its log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.url + "/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"server on {self.url} did not start:\n{self.log()}")

    def get(self, path, headers=None):
        return get(self.url + path, headers)

    def log(self):
        """Return what the server wrote so far: stdout (access log) then stderr."""
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
