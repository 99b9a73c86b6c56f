"""RSS of the latest approved comments, site-wide and per fact; no email ever appears."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from dayfacts.facts.models import Fact

from .models import Comment
from .templatetags.comments import comment_html

FEED_SIZE = 30


def published_comments():
    """Approved comments on published facts, newest first."""
    return (Comment.objects.approved().filter(fact__in=Fact.objects.published())
            .select_related("fact").newest_first())


class LatestComments(Feed):
    description_template = None

    def title(self):
        return f"{settings.SITE_NAME}: latest comments"

    def link(self):
        return reverse("facts:today")

    def description(self):
        return f"The latest comments on {settings.SITE_NAME}."

    def items(self):
        return published_comments()[:FEED_SIZE]

    def item_title(self, comment):
        return f"{comment.name} on {comment.fact.title}"

    def item_description(self, comment):
        return comment_html(comment.text)

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_author_name(self, comment):
        return comment.name

    def item_pubdate(self, comment):
        return comment.created


class FactComments(LatestComments):
    def get_object(self, request, slug):
        return get_object_or_404(Fact.objects.published(), slug=slug)

    def title(self, fact):
        return f"{settings.SITE_NAME}: comments on {fact.title}"

    def link(self, fact):
        return fact.get_absolute_url()

    def description(self, fact):
        return f"Comments on {fact.title}."

    def items(self, fact):
        return published_comments().for_fact(fact)[:FEED_SIZE]
