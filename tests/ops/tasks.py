from django_tasks import task


@task()
def nothing():
    """Do nothing: a task for the queue-depth metric to count."""
