"""The admin index's "Running now" box: imports and newsletter editions not yet done."""

from django import template
from django.apps import apps
from django.urls import reverse

register = template.Library()

# The box is a glance, not a list: the model's own admin page has the rest.
SHOWN = 10


@register.inclusion_tag("admin/running_now.html", takes_context=True)
def running_now(context):
    """List what is running, for the jobs the signed-in user may view: a query for each kind."""
    from dayfacts.interchange.admin import import_progress
    from dayfacts.newsletter.admin import sending_progress

    user = context["request"].user
    jobs = []
    if user.has_perm("interchange.view_importrun"):
        runs = apps.get_model("interchange", "ImportRun").objects.live().order_by("started")
        jobs += [{
            "kind": f"{run.source} import",
            "name": run.what,
            "url": reverse("admin:interchange_importrun_change", args=[run.pk]),
            "progress": import_progress(run),
            "started": run.started,
        } for run in runs[:SHOWN]]
    if user.has_perm("newsletter.view_edition"):
        editions = apps.get_model("newsletter", "Edition").objects.in_progress()
        jobs += [{
            "kind": "Newsletter",
            "name": str(edition),
            "url": reverse("admin:newsletter_edition_change", args=[edition.pk]),
            "progress": sending_progress(edition) + (", paused" if edition.paused else ""),
            "started": edition.started,
        } for edition in editions.with_progress().order_by("started")[:SHOWN]]
    return {"jobs": jobs}
