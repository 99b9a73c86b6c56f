"""The one way to say that what readers see has changed.

content_changed
    Sent whenever a page, feed or API answer may now read differently: a fact or a topic
    saved or deleted, a fact's topics changed, a comment shown or hidden (by its author, an
    editor or moderation), and at the end of every load that writes without model signals
    (an import, `dayfacts demo-data`). Every cache of what readers see listens to it; the
    page cache is one (dayfacts.pagecache.signals), and nothing tells a cache any other way.
    It is sent at once, inside the writer's transaction, so that the writer's own next
    request sees the change; a listener whose work must wait for the commit uses
    transaction.on_commit itself.
    Arguments: sender (the model whose rows changed, Fact for a bulk load of facts);
    instance (the changed row, when there is one).

A model whose rows pages show joins with watch(Model); code that writes in bulk ends with
content_changed.send(sender=Fact).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

content_changed = Signal()


def _changed(sender, instance=None, action="post_", **kwargs):
    if action.startswith("post_"):  # an m2m change is announced before and after; once is enough
        content_changed.send(sender=sender, instance=instance)


def watch(*models):
    """Send content_changed whenever a row of these models (or m2m through tables) changes."""
    for model in models:
        uid = f"content_changed.{model._meta.label_lower}"
        if model._meta.auto_created:  # a many-to-many table: rows change through the m2m
            m2m_changed.connect(_changed, sender=model, dispatch_uid=uid)
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
