"""`dayfacts newsletter tick`: create due editions and queue their deliveries."""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, close_old_connections

from dayfacts.newsletter.scheduling import tick
from dayfacts.ops.backoff import Backoff, close_connections, database_unavailable

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Newsletter jobs. `tick` queues what is due now; run it from cron or with --loop."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        run = commands.add_parser(
            "tick", help="Create due editions and queue a delivery per subscriber whose hour "
                         "has come; safe to run twice at once.")
        run.add_argument("--loop", nargs="?", type=float, const=60.0, default=None,
                         metavar="SECONDS",
                         help="Keep ticking every SECONDS (60 when no number is given).")

    def handle(self, *args, job, loop, **options):
        if job != "tick":
            raise CommandError(f"Unknown job {job!r}.")
        if loop is None:
            self.stdout.write(str(tick()))
            return
        if loop <= 0:
            raise CommandError("--loop needs a positive number of seconds.")
        self._loop(loop)

    def _loop(self, seconds):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        backoff = Backoff(first=min(1.0, seconds), longest=min(30.0, seconds))
        while not stopping:
            close_old_connections()
            wait = seconds
            try:
                report = tick()
            except (DatabaseError, InterfaceError) as error:
                if database_unavailable(error):
                    # Locked by an import, or gone: try again soon rather than a tick late.
                    wait = backoff.next()
                    logger.warning("Newsletter tick: database unavailable (%s); trying again "
                                   "in %g s", error, wait)
                    close_connections()
                else:
                    logger.warning("Newsletter tick failed: %s", error)
            else:
                backoff.reset()
                if report.queued or report.tasks or report.requeued:
                    self.stdout.write(str(report))
            deadline = time.monotonic() + wait
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, seconds))
