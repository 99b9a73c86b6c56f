"""`dayfacts worker`: run queued background tasks with whichever backend TASKS names."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends


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
        arguments = {"interval": interval, "batch": batch, "reload": False,
                     "verbosity": verbosity, "startup_delay": not batch}
        if max_tasks:
            arguments["max_tasks"] = max_tasks
        call_command("db_worker", **arguments)
