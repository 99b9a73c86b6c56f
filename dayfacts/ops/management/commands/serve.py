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

logger = logging.getLogger("dayfacts.serve")

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
            # One Python thread per worker: as fast as more on a cached page, and the
            # worker stays near 90 MB instead of growing past 140 MB (bench/servers.py).
            web = [
                sys.executable, "-m", "granian", "--interface", "wsgi", "--no-ws",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", "1", "--workers-kill-timeout", "10",
                "--respawn-failed-workers", "--log-config", self._granian_log_config(metrics_dir),
                "dayfacts.wsgi:application",
            ]
        else:
            web = [
                sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
                "--config", "python:dayfacts.ops.gunicorn_conf",
                "--bind", f"{host}:{port}", "--workers", str(workers), "--graceful-timeout", "10",
            ]
        children = {"web": subprocess.Popen(web, env=env)}
        if not web_only:
            available = get_commands()
            for name, argv in BACKGROUND:
                if argv[0] in available:
                    children[name] = subprocess.Popen([sys.executable, "-m", "dayfacts", *argv])
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
        """Wait until any child exits or a signal arrives, then stop them all."""
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
            while not stopping and all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            if not stopping:
                # A child ended on its own (the server could not bind, a setting is missing):
                # exit non-zero so systemd or the container runtime restarts the lot.
                ended = [name for name, child in children.items() if child.poll() is not None]
                raise CommandError(f"{', '.join(ended)} stopped; stopping the rest.")
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            for child in children.values():
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
