"""`dayfacts serve`: the web server and the site's background processes, under one command."""

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dayfacts.ops.backoff import Backoff

logger = logging.getLogger("dayfacts.serve")

# A child that ran this long started fine: its next failure is restarted after the first
# delay again. One that fails sooner GIVE_UP_AFTER times in a row will not start at all (a
# port taken, a database never migrated), so serve stops and says so (docs/deploy.md).
STEADY_SECONDS = 10
GIVE_UP_AFTER = 5

# The background processes that run beside the web server, as `dayfacts` subcommands.
# Each is optional: it runs when its command exists.
BACKGROUND = [
    ("worker", ["worker"]),
    ("scheduler", ["newsletter", "tick", "--loop"]),
]


class Command(BaseCommand):
    help = ("Serve the site with gunicorn or granian, and run the task worker and the "
            "newsletter scheduler.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)),
            help="Web server worker processes (default: WEB_CONCURRENCY or 2).",
        )
        parser.add_argument(
            "--web-only", action="store_true", help="Run only the web server, no background work."
        )
        parser.add_argument(
            "--server", choices=["granian", "gunicorn"],
            default=os.environ.get("DAYFACTS_SERVER", "granian"),
            help="The web server (default: DAYFACTS_SERVER or granian, which serves cached "
                 "pages fastest: docs/caching.md).",
        )

    def handle(self, *args, host, port, workers, web_only, server, **options):
        from django.core.management import get_commands

        metrics_dir, made = self._metrics_dir()
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
        if server == "granian":
            # One Python thread per worker: more threads serve a cached page no faster,
            # and each one grows the worker's memory (bench/servers.py). Two I/O threads, so
            # that one reads and writes sockets while the other waits on the Python thread:
            # cached pages go out faster (bench/cache.py).
            web = [
                sys.executable, "-m", "granian", "--interface", "wsgi", "--no-ws",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", "1",
                "--runtime-threads", str(min(2, os.cpu_count() or 1)),
                "--workers-kill-timeout", "10",
                "--respawn-failed-workers", "--log-config", self._granian_log_config(metrics_dir),
                "dayfacts.wsgi:application",
            ]
        else:
            web = [
                sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
                "--config", "python:dayfacts.ops.gunicorn_conf",
                "--bind", f"{host}:{port}", "--workers", str(workers), "--graceful-timeout", "10",
            ]
        children = {"web": Child("web", web, env)}
        if not web_only:
            available = get_commands()
            for name, argv in BACKGROUND:
                if argv[0] in available:
                    children[name] = Child(name, [sys.executable, "-m", "dayfacts", *argv])
        for child in children.values():
            child.start()
        # Through logging, so the line is JSON like the rest in production.
        logger.info("serving on http://%s:%s/ (%s)", host, port, ", ".join(children))
        try:
            self._supervise(children)
        finally:
            if made:
                shutil.rmtree(metrics_dir, ignore_errors=True)

    def _granian_log_config(self, directory):
        """Write granian's own log configuration (its start and stop lines), in the site's
        format, and return its path. Requests are logged by the app (dayfacts.ops.access)."""
        from django.conf import settings

        config = {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": settings.LOGGING["filters"],
            "formatters": settings.LOGGING["formatters"],
            "handlers": {"console": settings.LOGGING["handlers"]["console"]},
            "loggers": {"_granian": {"handlers": ["console"], "propagate": False}},
        }
        path = Path(directory) / "granian-logging.json"
        path.write_text(json.dumps(config))
        return str(path)

    def _metrics_dir(self):
        """Return (directory, made here) where gunicorn's workers pool their metrics
        (prometheus_client's multiprocess mode); one made here is removed on exit."""
        given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if given:
            # Files left by an earlier run would be added to this run's counts.
            os.makedirs(given, exist_ok=True)
            for stale in Path(given).glob("*.db"):
                stale.unlink()
            return given, False
        return tempfile.mkdtemp(prefix="dayfacts-metrics-"), True

    def _supervise(self, children):
        """Restart each child that ends, until a signal says stop or a child keeps failing
        at once; then stop them all."""
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        def reload(signum, frame):
            # systemctl reload: either server replaces its workers gracefully on SIGHUP.
            children["web"].send_signal(signal.SIGHUP)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, reload)
        try:
            while not stopping:
                for child in children.values():
                    if not stopping:  # Ctrl+C reaches the children too: they end, expectedly
                        child.watch()
                time.sleep(0.2)
        finally:
            for child in children.values():
                child.send_signal(signal.SIGTERM)
            for child in children.values():
                child.wait(timeout=15)


class Child:
    """One process serve runs, and when to start it again after it ends."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.argv = argv
        self.env = env
        self.process = None
        self.started = None
        self.restart_at = None
        self.quick_failures = 0
        self.backoff = Backoff()

    def start(self):
        self.process = subprocess.Popen(self.argv, env=self.env)
        self.started = time.monotonic()
        self.restart_at = None

    def watch(self):
        """Restart the process when its delay is over; notice when it ends."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
                logger.warning("%s restarted (pid %d)", self.name, self.process.pid)
            return
        code = self.process.poll()
        if code is None:
            return
        ran = now - self.started
        if ran >= STEADY_SECONDS:
            self.quick_failures = 0
            self.backoff.reset()
        else:
            self.quick_failures += 1
        if self.quick_failures >= GIVE_UP_AFTER:
            raise CommandError(
                f"{self.name} ended {self.quick_failures} times in a row within "
                f"{STEADY_SECONDS} s of starting (last: {exit_status(code)}); it will not "
                "start, so serve stops. Its own messages above say why.")
        delay = self.backoff.next()
        self.restart_at = now + delay
        logger.warning("%s (pid %d) ended with %s after %.1f s; restarting it in %g s",
                       self.name, self.process.pid, exit_status(code), ran, delay)

    def send_signal(self, signum):
        if self.restart_at is None and self.process.poll() is None:
            self.process.send_signal(signum)

    def wait(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def exit_status(code):
    """Say how a process ended, from its return code."""
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"
