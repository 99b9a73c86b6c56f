"""Posting a comment: the one path the page form, the in-place post and the API all take."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from .cookies import authored_ids
from .forms import CommentForm
from .models import Comment, CommentSettings, CommentStatus
from .moderation import decide
from .signals import comment_posted
from .spam import akismet_says_spam
from .tasks import notify_editors

MESSAGES = {
    CommentStatus.APPROVED: "Thank you, your comment is published.",
    # Held, spam and a quiet refusal read alike: what the rules made of a comment is nobody's
    # business but the editors' (docs/security.md, "Comments: who is known").
    CommentStatus.PENDING: "Thank you. Your comment is awaiting moderation.",
    CommentStatus.SPAM: "Thank you. Your comment is awaiting moderation.",
    "invalid": "Your comment is not posted yet: please fix the marked fields. "
               "Everything you typed is still there.",
    "too_quick": "That was quicker than anyone can type. Please read your comment over, "
                 "then post it again.",
    "flood": "Too fast: please wait a moment before posting again.",
    "rate_limited": "You have posted many comments in a short time. Please come back later; "
                    "your text is kept.",
    "duplicate": "You already posted this comment here, so it was not posted twice.",
}
# Every accepted comment gets 202, published or not: the code tells nobody which.
HTTP_STATUS = {
    CommentStatus.APPROVED: 202, CommentStatus.PENDING: 202, CommentStatus.SPAM: 202,
    "invalid": 400, "too_quick": 400, "flood": 429, "rate_limited": 429, "duplicate": 409,
}
# What the poster is told became of their comment: spam is "held" to them.
OUTCOME = {CommentStatus.APPROVED: "approved", CommentStatus.PENDING: "held",
           CommentStatus.SPAM: "held"}


@dataclass
class SubmissionResult:
    """What became of a posted form: a saved comment, or a refusal with its reason."""

    form: CommentForm
    status: str  # approved, held; or invalid, too_quick, flood, rate_limited, duplicate
    http_status: int
    message: str
    comment: Comment | None = None

    @property
    def accepted(self):
        return self.comment is not None

    @property
    def refused(self):
        return self.comment is None


def client_ip(request):
    """The address a post came from: REMOTE_ADDR, as django-ratelimit's "ip" key reads it."""
    return request.META.get("REMOTE_ADDR") or None


def _refuse(form, reason):
    return SubmissionResult(form, reason, HTTP_STATUS[reason], MESSAGES[reason])


def proven_emails(ids):
    """The addresses a browser proved it writes under: those of its approved comments."""
    if not ids:
        return set()
    return set(Comment.objects.approved().filter(pk__in=ids).values_list("email", flat=True))


def recent_comments(now=None):
    """Comments posted within the last COMMENTS_FLOOD_SECONDS (none when that is 0)."""
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return Comment.objects.none()
    return Comment.objects.filter(created__gte=(now or timezone.now()) - timedelta(seconds=seconds))


def same_text(fact, data, ip):
    """This text on this fact from the same email, or the same name from the same IP."""
    same_person = Q(email=data["email"].strip().lower())
    if ip:
        same_person |= Q(ip=ip, name=data["name"])
    return Comment.objects.for_fact(fact).filter(same_person, text=data["text"])


def submit_comment(form, request):
    """Validate a bound CommentForm, apply every moderation and spam rule, save the comment."""
    if is_ratelimited(request, group="comments.post", key="ip",
                      rate=settings.COMMENTS_RATE_LIMIT, method="POST", increment=True):
        form.is_valid()  # so the form shows again with what was typed
        return _refuse(form, "rate_limited")
    if not form.is_valid():
        return _refuse(form, "invalid")
    if form.browser and not form.caught_by_honeypot and \
            form.seconds_to_fill < settings.COMMENTS_MIN_FILL_SECONDS:
        return _refuse(form, "too_quick")
    data = form.cleaned_data
    ip = client_ip(request)
    email = data["email"].strip().lower()
    # What the poster can prove is theirs: only about those may an answer say anything. The
    # API trusts no cookie (docs/security.md, "Forms"), so it proves nothing.
    authored = authored_ids(request) if form.browser else []
    proven = proven_emails(authored)
    mine = Q(pk__in=authored) | Q(email__in=proven)
    recent = recent_comments()
    if (ip and recent.filter(ip=ip).exists()) or recent.by_email(email).filter(mine).exists():
        return _refuse(form, "flood")
    twins = same_text(form.fact, data, ip)
    if twins.filter(mine).exists():
        return _refuse(form, "duplicate")

    comment = Comment(
        fact=form.fact, parent=data["parent"], name=data["name"], email=data["email"],
        url=data["url"], text=data["text"], ip=ip,
        user_agent=request.headers.get("User-Agent", "")[:500],
    )
    if form.browser and form.caught_by_honeypot:
        comment.status = CommentStatus.SPAM
    elif twins.exists() or recent.by_email(email).exists():
        # Someone else's comment or address: a refusal would tell who wrote what, or that the
        # address just posted; kept aside as spam instead, answered like any held comment.
        comment.status = CommentStatus.SPAM
    elif akismet_says_spam(comment, request):
        comment.status = CommentStatus.SPAM
    else:
        comment.status, _reason = decide(comment, known=email in proven)
    with transaction.atomic():
        comment.save()
        if comment.status == CommentStatus.PENDING and CommentSettings.load().notify_editors:
            transaction.on_commit(lambda: notify_editors.enqueue(comment.pk))
    result = SubmissionResult(form, OUTCOME[comment.status], HTTP_STATUS[comment.status],
                              MESSAGES[comment.status], comment)
    comment_posted.send(sender=Comment, comment=comment, request=request, result=result)
    return result
