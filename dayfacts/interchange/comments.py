"""Load the comments of imported facts: threads kept, each comment once.

Bulk inserts send no model signals; the loader sends the site's one content signal for what
it wrote, comments included.
"""

from __future__ import annotations

from dayfacts.comments.models import Comment, CommentStatus
from dayfacts.comments.signals import comment_visibility_changed
from dayfacts.facts.models import Fact

from .models import CommentOrigin
from .records import Skip

BATCH_SIZE = 1000


class CommentLoader:
    """Create or compare the comments of a loader's records."""

    FIELDS = ["name", "email", "url", "text", "status"]

    def __init__(self, loader):
        self.loader = loader

    def load(self, pairs, *, shown=False):
        """Create or compare the comments of (record, fact id) pairs; return the new ids.

        `shown`: the facts are ones readers see already, so the approved comments written
        are announced as a reader's would be (comment_visibility_changed).
        """
        if not pairs:
            return []
        loader = self.loader
        stats, source = loader.stats, loader.source
        keys = [c.key for record, _ in pairs for c in record.comments]
        known = dict(CommentOrigin.objects.filter(source=source, key__in=keys)
                     .values_list("key", "comment_id"))
        if loader.match_slug:
            # Our own exports key a comment by its id: on the site it came from, that is
            # the same comment (when it is still on the same fact).
            ids = {int(key[8:]) for key in keys
                   if key not in known and key.startswith("comment/") and key[8:].isdigit()}
            known.update({f"comment/{pk}": pk for pk in
                          Comment.objects.filter(pk__in=ids).values_list("pk", flat=True)})
        existing = Comment.objects.in_bulk(known.values())
        origins = set(known) - set(CommentOrigin.objects.filter(
            source=source, key__in=list(known)).values_list("key", flat=True))
        by_key, created, changed, matched = {}, [], [], []
        for record, fact_id in pairs:
            for item in record.comments:
                comment = existing.get(known.get(item.key))
                if comment is not None and comment.fact_id != fact_id:
                    comment = None
                elif comment is not None and item.key in origins:
                    matched.append(CommentOrigin(comment=comment, source=source, key=item.key))
                if comment is None:
                    comment = Comment(fact_id=fact_id, name=item.name, email=item.email,
                                      url=item.url, text=item.text, status=item.status)
                    created.append((item, comment))
                elif any(getattr(item, f) != getattr(comment, f) for f in self.FIELDS):
                    if loader.update:
                        for name in self.FIELDS:
                            setattr(comment, name, getattr(item, name))
                        changed.append(comment)
                        stats.add("comment", "updated")
                    else:
                        stats.skip(Skip("differs from the database (use --update)",
                                        record.place, "comment", item.name))
                else:
                    stats.add("comment", "unchanged")
                by_key[item.key] = (item, comment)
        stats.add("comment", "created", len(created))
        if loader.dry_run:
            return []
        Comment.objects.bulk_create([c for _, c in created], batch_size=BATCH_SIZE)
        # The creation time is the source's, which auto_now_add overwrote on insert; the
        # threads are linked once every comment of the batch has its id.
        for item, comment in created:
            if item.created:
                comment.created = item.created
            parent = by_key.get(item.parent_key)
            comment.parent = parent[1] if parent else None
        for _, comment in created:
            comment.depth = depth(comment)
        Comment.objects.bulk_update([c for _, c in created], ["created", "parent", "depth"],
                                    batch_size=BATCH_SIZE)
        Comment.objects.bulk_update(changed, self.FIELDS, batch_size=BATCH_SIZE)
        CommentOrigin.objects.bulk_create(
            [*matched,
             *(CommentOrigin(comment=c, source=source, key=item.key, run=loader.run)
               for item, c in created)],
            batch_size=BATCH_SIZE,
        )
        if shown:
            announce([c for _, c in created] + changed)
        return [c.pk for _, c in created]

    def delete(self, ids):
        """Delete comments this loader created (an input taken back)."""
        Comment.objects.filter(pk__in=ids).delete()


def announce(comments):
    """Send comment_visibility_changed for the approved ones, as a typed comment's save does
    (bulk writes send no post_save)."""
    approved = [c for c in comments if c.status == CommentStatus.APPROVED]
    facts = Fact.objects.in_bulk({c.fact_id for c in approved})
    for comment in approved:
        comment_visibility_changed.send(sender=Comment, comment=comment,
                                        fact=facts[comment.fact_id], visible=True)


def depth(comment, limit=100):
    """1 for a comment on the fact, 2 for a reply, ... (a loop in bad data stops at `limit`)."""
    level, parent = 1, comment.parent
    while parent is not None and level < limit:
        level, parent = level + 1, parent.parent
    return level
