import os
import socket
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from dayfacts.facts.models import Fact

# A run that has not written for this long is taken for dead even on another machine.
STALE_AFTER = timedelta(minutes=10)


def this_host():
    return socket.gethostname()


def this_process():
    return os.getpid()


class RunState(models.TextChoices):
    RUNNING = "running", "Running"
    PUBLISHING = "publishing", "Publishing"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed, rolled back"


class ImportBusy(Exception):
    """Another run of the same source is still going."""


class ImportRunQuerySet(models.QuerySet):
    def live(self):
        """Runs that have not ended, whether or not their process is still there."""
        return self.filter(state__in=[RunState.RUNNING, RunState.PUBLISHING])

    def begin(self, source, what, inputs):
        """Start a run of `source`; return it and the abandoned runs it found.

        Two runs of one source would race for the same keys, so a live one refuses the
        second (ImportBusy). A run whose process is gone is handed back for rolling back.
        """
        abandoned = []
        with transaction.atomic():
            for run in self.live():
                if run.is_abandoned():
                    abandoned.append(run)
                elif run.source == source:
                    raise ImportBusy(
                        f"{run} is still going (process {run.pid} on {run.host}, started "
                        f"{run.started:%Y-%m-%d %H:%M}); wait for it to finish."
                    )
            run = self.create(source=source, what=what[:300], inputs_total=inputs)
        return run, abandoned


class ImportRun(models.Model):
    """One run of an import: what it reads, how far it has come, and which rows it wrote.

    The facts a run creates stay hidden (Status.IMPORTING) until it has read everything;
    then they appear day by day. A run that fails, or whose process died, is rolled back
    by deleting what it wrote: every origin row it made names it.
    """

    source = models.CharField(max_length=40, help_text="The importer's name, e.g. 'wxr'.")
    what = models.CharField(max_length=300, help_text="The inputs, as the command named them.")
    state = models.CharField(max_length=12, choices=RunState.choices,
                             default=RunState.RUNNING)
    inputs_total = models.PositiveIntegerField(default=0)
    inputs_done = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0, help_text="Records read so far.")
    created_facts = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why the run failed.")
    host = models.CharField(max_length=255, default=this_host)
    pid = models.PositiveIntegerField(default=this_process)
    started = models.DateTimeField(default=timezone.now)
    heartbeat = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    State = RunState

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"

    def __str__(self):
        return f"{self.source} import #{self.pk} ({self.get_state_display().lower()})"

    @property
    def progress(self):
        """How far the run has come, 0 to 1 (by inputs read)."""
        if self.state == RunState.FINISHED:
            return 1.0
        return self.inputs_done / self.inputs_total if self.inputs_total else 0.0

    def advance(self, **changes):
        """Save how far the run has come (and that its process is alive)."""
        changes["heartbeat"] = timezone.now()
        for name, value in changes.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**changes)

    def roll_back(self, reason):
        """Delete every fact and comment the run created, a batch per transaction; mark the
        run failed with `reason`. Return how many facts were deleted."""
        from dayfacts.comments.models import Comment
        from dayfacts.facts.signals import content_changed

        # Facts of its own (cascading to their origins, topics and comments), then its
        # comments on facts that were there before it.
        deleted = _delete_in_batches(Fact.objects.filter(origins__run=self))
        _delete_in_batches(Comment.objects.filter(origins__run=self))
        # The reason may quote the bad input, NUL characters included, which PostgreSQL's
        # text refuses.
        reason = reason.replace("\x00", "\\x00")
        self.advance(state=RunState.FAILED, message=reason, finished=timezone.now())
        content_changed.send(sender=Fact)
        return deleted

    def is_abandoned(self):
        """Whether a live run's process is gone: not running on this machine, or silent."""
        if self.state not in (RunState.RUNNING, RunState.PUBLISHING):
            return False
        if timezone.now() - self.heartbeat > STALE_AFTER:
            return True
        if self.host != socket.gethostname():
            return False
        if self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # someone else's process: alive
            return False
        return False


class FactOrigin(models.Model):
    """Where an imported fact came from, so that importing the same data again changes nothing.

    The key is stable across runs of one source (a post's id, a line's text, a record's
    key); the facts table itself stays free of importer bookkeeping.
    """

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="origins")
    source = models.CharField(max_length=40, help_text="The importer's name, e.g. 'wxr'.")
    key = models.CharField(max_length=255, help_text="Unique within the source.")
    imported = models.DateTimeField(auto_now_add=True)
    # The run that created the fact (not one that only matched it): what a rollback deletes.
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="fact_origins")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="fact_origin_unique_key"),
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"


class CommentOrigin(models.Model):
    """Where an imported comment came from (a WordPress comment id, an export's key)."""

    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="origins"
    )
    source = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="comment_origins")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="comment_origin_unique_key"),
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"


def _delete_in_batches(queryset, size=500):
    """Delete a queryset's rows `size` at a time, a transaction each; return how many."""
    deleted = 0
    while ids := list(queryset.values_list("pk", flat=True).order_by()[:size]):
        with transaction.atomic():
            queryset.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted
