"""The page cache listens to content_changed (dayfacts.facts.signals) and nothing else.

Every change readers could see ends in that one signal; each one starts a new cache
generation, which makes every stored page stale at once, in every process.
"""

from django.db import transaction

from dayfacts.facts.signals import content_changed

from . import generation


def invalidate(**kwargs):
    """Make every cached page stale, now and again when the current transaction commits.

    Now, so that the writer's own next request sees the change; after commit, so that a page
    another process rendered from the not yet committed data is not kept.
    """
    generation.bump()
    transaction.on_commit(generation.bump)


def connect():
    """Listen for content_changed."""
    content_changed.connect(invalidate, dispatch_uid="pagecache.content_changed")
