"""The moderation rules: which new comment is published, held for an editor, or spam.

The rules follow WordPress's defaults, in WordPress's order: disallowed words send to spam,
then moderation words and too many links hold, then a known commenter is published and a
first-time commenter is held.
"""

import re

from .models import Comment, CommentSettings, CommentStatus

# What counts as a link for the "too many links" rule: what urlize would turn into one.
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def count_links(text):
    """Count the links in a comment's text."""
    return len(LINK.findall(text))


def matches_any(comment, words):
    """Whether any word appears in the comment's name, email, website, text, IP or browser."""
    if not words:
        return False
    haystack = "\n".join(
        [comment.name, comment.email, comment.url, comment.text, comment.ip or "",
         comment.user_agent]
    ).lower()
    return any(word in haystack for word in words)


def has_approved_comment(email):
    """Whether an editor has already approved a comment from this email address."""
    return Comment.objects.approved().by_email(email).exists()


def decide(comment, rules=None):
    """Return (status, reason) for a new comment under the site owner's rules."""
    rules = rules or CommentSettings.load()
    if matches_any(comment, rules.disallowed_list):
        return CommentStatus.SPAM, "contains a disallowed word"
    if matches_any(comment, rules.moderation_list):
        return CommentStatus.PENDING, "contains a moderation word"
    if rules.hold_links and count_links(comment.text) >= rules.hold_links:
        return CommentStatus.PENDING, f"has {rules.hold_links} or more links"
    if has_approved_comment(comment.email):
        return CommentStatus.APPROVED, "the commenter has an approved comment"
    return CommentStatus.PENDING, "first comment from this email address"
