from django.db import models

from dayfacts.facts.models import Fact


class FactOrigin(models.Model):
    """Where an imported fact came from, so that importing the same data again changes nothing.

    The key is stable across runs of one source (a post's id, a line's text, a record's
    key); the facts table itself stays free of importer bookkeeping.
    """

    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="origins")
    source = models.CharField(max_length=40, help_text="The importer's name, e.g. 'wxr'.")
    key = models.CharField(max_length=255, help_text="Unique within the source.")
    imported = models.DateTimeField(auto_now_add=True)

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="comment_origin_unique_key"),
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"
