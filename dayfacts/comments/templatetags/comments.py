from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils import dateformat, timezone
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from ..cookies import held_ids, remembered_commenter
from ..forms import CommentForm
from ..models import Comment, CommentSettings
from ..threads import discussion

register = template.Library()


@register.filter
def comment_html(text):
    """Render a comment's plain text: escaped, paragraphs kept, links marked as user content."""
    linked = urlize(text, nofollow=True, autoescape=True)
    # urlize escapes the reader's own quotes, so this matches only the links it made.
    linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    return mark_safe(linebreaks_filter(mark_safe(linked), autoescape=False))


@register.filter
def comment_time(value):
    """Write a comment's time in the site's time zone: "March 20, 2026, 4:05 p.m."."""
    # dateformat directly: the date filter looks its formats up again on every call, once
    # per comment of a discussion.
    return dateformat.format(timezone.localtime(value), "F j, Y, P")


@register.simple_tag
def comment_count(fact):
    """How many approved comments a fact has."""
    return Comment.objects.approved().for_fact(fact).count()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, fact):
    """A fact's discussion and the reply form; personal only when the reader's cookies say so."""
    request = context["request"]
    rules = CommentSettings.load()
    initial = remembered_commenter(request)
    reply_to = request.GET.get("replytocom", "")
    if reply_to.isdigit():
        initial["parent"] = int(reply_to)
    form = CommentForm(fact, initial=initial)
    count = comment_count(fact)
    thread = discussion(fact, held_ids(request), request.GET.get("cpage"), approved=count)
    return {
        "request": request,
        "fact": fact,
        "form": form,
        "discussion": thread,
        "count": count,
        "max_depth": rules.max_depth,
        "replying_to": initial.get("parent"),
        "remembered": bool(initial.get("name")),
        # Nothing of this reader's in the fields: the same for everyone (see _fields.html).
        "blank": not initial,
    }
