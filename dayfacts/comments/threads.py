"""A fact's discussion as readers see it: threads, oldest first, paged by top-level comment."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from .models import Comment, CommentStatus


@dataclass
class Discussion:
    page: Page
    threads: list = field(default_factory=list)


def discussion(fact, held_ids, page_number=None, approved=None):
    """The requested page of a fact's threads, each comment carrying its `thread_replies`.

    `approved`, when the caller has counted the fact's approved comments already: with none
    and nothing held for this reader there is nothing to look up.
    """
    if approved == 0 and not held_ids:
        return Discussion(page=Paginator([], settings.COMMENTS_PER_PAGE).get_page(1))
    visible = Comment.objects.for_fact(fact).visible_to(held_ids)
    roots = visible.top_level().oldest_first()
    page = Paginator(roots, settings.COMMENTS_PER_PAGE).get_page(page_number)
    threads = list(page.object_list)
    level = threads
    # One query per level of nesting: depth is bounded by the max_depth setting.
    while level:
        by_id = {comment.pk: comment for comment in level}
        for comment in level:
            comment.thread_replies = []
            comment.is_held = comment.status != CommentStatus.APPROVED
        level = list(visible.filter(parent__in=list(by_id)).oldest_first())
        for reply in level:
            by_id[reply.parent_id].thread_replies.append(reply)
    return Discussion(page=page, threads=threads)


def page_url(comment):
    """The address of the page of the fact's discussion that shows this comment."""
    root = comment
    while root.parent_id:
        root = root.parent
    earlier = (Comment.objects.for_fact(comment.fact).approved().top_level()
               .filter(created__lt=root.created).count())
    number = earlier // settings.COMMENTS_PER_PAGE + 1
    query = f"?cpage={number}" if number > 1 else ""
    return f"{comment.fact.get_absolute_url()}{query}#{comment.anchor}"
