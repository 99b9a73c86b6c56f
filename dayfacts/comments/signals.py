"""Signals other apps listen to, so they need not reach into the comment views.

comment_posted
    Sent after a reader's comment is saved, whatever its status.
    Arguments: sender (Comment), comment, request, result (a SubmissionResult).

comment_visibility_changed
    Sent whenever what readers see changes: a comment is published (posted by
    a known commenter, or approved by an editor), unpublished (unapproved, marked spam), or an
    approved comment is edited (any save: its text, name, website or place) or deleted. It
    is sent at once, inside the writer's transaction, so the writer's next request sees the
    change; a listener whose work must wait for the commit uses transaction.on_commit
    itself. Bulk QuerySet.update() bypasses it: moderate and edit with save(), as the admin
    does. Each is followed by dayfacts.facts.signals.content_changed, the signal caches
    listen to.
    Arguments: sender (Comment), comment, fact, visible (whether readers now see it).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from dayfacts.facts.signals import content_changed

from .models import Comment, CommentStatus

comment_posted = Signal()
comment_visibility_changed = Signal()


def _announce(comment, visible):
    comment_visibility_changed.send(sender=Comment, comment=comment, fact=comment.fact,
                                    visible=visible)
    content_changed.send(sender=Comment, instance=comment)


@receiver(post_save, sender=Comment, dispatch_uid="comments.visibility.save")
def _saved(sender, instance, created, **kwargs):
    was = None if created else getattr(instance, "_stored_status", None)
    now = instance.status
    instance._stored_status = now
    # A save of a comment readers see may have changed its words: pages showing it are stale.
    if CommentStatus.APPROVED in (was, now):
        _announce(instance, now == CommentStatus.APPROVED)


@receiver(post_delete, sender=Comment, dispatch_uid="comments.visibility.delete")
def _deleted(sender, instance, **kwargs):
    if getattr(instance, "_stored_status", instance.status) == CommentStatus.APPROVED:
        _announce(instance, False)
