from django.contrib import admin

from .models import ImportRun


def import_progress(run):
    """Say how far an import run has come, by the inputs (files, feeds) it has read."""
    if not run.inputs_total:
        return "starting"
    return (f"{run.inputs_done:,} of {run.inputs_total:,} "
            f"input{'s' if run.inputs_total != 1 else ''} ({run.progress:.0%})")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Imports as `dayfacts import` records them: to watch, never to edit.

    A run's rows belong to its process; an editor changing them would only confuse it, and
    deleting a live one would lose the record its rollback relies on.
    """

    list_display = ["what", "source", "state_now", "progress", "records", "created_facts",
                    "started", "last_heard"]
    list_filter = ["state", "source"]
    search_fields = ["what"]
    date_hierarchy = "started"
    readonly_fields = ["progress"]
    fields = ["what", "source", "state", "progress", "inputs_done", "inputs_total", "records",
              "created_facts", "message", "host", "pid", "started", "heartbeat", "finished"]
    # Without the bulk delete action, a run can only be deleted from its own page, where
    # has_delete_permission() sees which run it is.
    actions = None

    @admin.display(description="State", ordering="state")
    def state_now(self, run):
        if run.is_abandoned():
            return f"{run.get_state_display()} (its process is gone)"
        return run.get_state_display()

    @admin.display(description="Progress")
    def progress(self, run):
        return import_progress(run)

    @admin.display(description="Finished or last heard from", ordering="heartbeat")
    def last_heard(self, run):
        return run.finished or run.heartbeat

    def has_add_permission(self, request):
        return False  # runs are made by `dayfacts import`

    def has_change_permission(self, request, obj=None):
        return False  # the change page shows the run, read-only

    def has_delete_permission(self, request, obj=None):
        if obj is not None and ImportRun.objects.live().filter(pk=obj.pk).exists():
            return False
        return super().has_delete_permission(request, obj)
