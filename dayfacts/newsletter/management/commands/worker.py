"""`dayfacts worker`: run queued background tasks with whichever backend TASKS names."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db.utils import InterfaceError, OperationalError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks_db.management.commands import db_worker

from dayfacts.ops.backoff import Backoff, close_connections, database_unavailable

logger = logging.getLogger(__name__)

# A worker that polled this long without a database failure starts its backoff again.
STEADY_SECONDS = 60


class Worker(db_worker.Worker):
    """django-tasks-db's database worker, which waits out a locked or lost database (an
    import holding SQLite's write lock, a PostgreSQL restart) instead of exiting."""

    def run(self):
        backoff = Backoff()
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not database_unavailable(error):
                    raise
                if time.monotonic() - started > STEADY_SECONDS:
                    backoff.reset()
                delay = backoff.next()
                logger.warning("Worker: database unavailable (%s); trying again in %g s",
                               error, delay)
                close_connections()
                # A stop signal in this sleep exits at once, as in the worker's own sleep.
                time.sleep(delay)
                self.startup_delay = False


class Command(BaseCommand):
    help = ("Run background tasks (newsletter sending, confirmation emails): the database "
            "worker by default, an RQ worker when TASKS uses django_tasks_rq.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run the tasks waiting now, then exit.")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between looks for new tasks (database backend).")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="Exit after this many tasks (database backend).")

    def handle(self, *args, batch, interval, max_tasks, verbosity, **options):
        # The backend itself: default_task_backend is a proxy, whose type names no backend.
        backend = task_backends["default"]
        if type(backend).__module__.startswith("django_tasks_rq"):
            import django_rq

            worker = django_rq.get_worker(*sorted(backend.queues), job_class="django_tasks_rq.Job")
            # With the scheduler on, tasks deferred with run_after (retries) come back.
            worker.work(burst=batch, with_scheduler=True)
            return
        # What `manage.py db_worker` would run, with its defaults, but our Worker.
        db_worker.Command(stdout=self.stdout, stderr=self.stderr).configure_logging(verbosity)
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME], interval=interval, batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=not batch,
            max_tasks=max_tasks or None, worker_id=get_random_string(32), excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
