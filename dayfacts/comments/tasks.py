"""Background work for comments, run by the task worker (`dayfacts worker`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import Comment, CommentSettings


def editor_addresses(rules):
    """Where held-comment emails go: the configured list, else every active staff email."""
    if rules.editor_list:
        return rules.editor_list
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))


@task()
def notify_editors(comment_id):
    """Email the editors that a comment waits for moderation; return how many were told."""
    comment = Comment.objects.in_moderation().select_related("fact").filter(pk=comment_id).first()
    rules = CommentSettings.load()
    if comment is None or not rules.notify_editors:
        return 0  # approved, deleted or turned off since it was queued: nothing to say
    recipients = editor_addresses(rules)
    if not recipients:
        return 0
    context = {
        "comment": comment,
        "SITE_NAME": settings.SITE_NAME,
        "review_url": settings.SITE_URL + reverse("admin:comments_comment_change",
                                                  args=[comment.pk]),
        "queue_url": settings.SITE_URL + reverse("admin:comments_comment_changelist"),
        "fact_url": settings.SITE_URL + comment.fact.get_absolute_url(),
    }
    subject = f"[{settings.SITE_NAME}] Comment awaiting moderation: {comment.fact.title}"
    body = render_to_string("comments/email/held.txt", context)
    send_mail(subject[:200], body, None, recipients)
    return len(recipients)
