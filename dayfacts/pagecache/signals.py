"""What starts a new cache generation: every change to something a cached page shows.

A fact or topic saved or deleted, a fact's topics changed, and a comment becoming visible
or hidden (dayfacts.comments.signals.comment_visibility_changed). Code that writes without
model signals (QuerySet.update, bulk_create) calls dayfacts.pagecache.signals.invalidate().
"""

import importlib.util

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import generation


def invalidate(**kwargs):
    """Make every cached page stale, now and again when the current transaction commits.

    Now, so that the writer's own next request sees the change; after commit, so that a page
    another process rendered from the not yet committed data is not kept.
    """
    generation.bump()
    transaction.on_commit(generation.bump)


def connect():
    """Connect invalidate() to the changes of every model whose data pages show."""
    from dayfacts.facts.models import Fact, Topic

    for model in (Fact, Topic):
        uid = f"pagecache.{model._meta.label_lower}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(invalidate, sender=Fact.topics.through, dispatch_uid="pagecache.topics")
    if (apps.is_installed("dayfacts.comments")
            and importlib.util.find_spec("dayfacts.comments.signals") is not None):
        from dayfacts.comments.signals import comment_visibility_changed

        comment_visibility_changed.connect(invalidate, dispatch_uid="pagecache.comments")
