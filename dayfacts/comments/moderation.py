"""The moderation rules: which new comment is published, held for an editor, or spam.

The rules follow WordPress's defaults, in WordPress's order: disallowed words send to spam,
then moderation words and too many links hold, then a known commenter is published and
anyone else is held. Known is proven, never claimed: the browser posting carries the signed
cookie of an approved comment under the same address (services.proven_emails); an address
merely typed, even one with approved comments, is a first-time commenter's.
"""

import re

from .models import CommentSettings, CommentStatus

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


def decide(comment, rules=None, known=False):
    """Return (status, reason) for a new comment; `known`: its author proved the address."""
    rules = rules or CommentSettings.load()
    if matches_any(comment, rules.disallowed_list):
        return CommentStatus.SPAM, "contains a disallowed word"
    if matches_any(comment, rules.moderation_list):
        return CommentStatus.PENDING, "contains a moderation word"
    if rules.hold_links and count_links(comment.text) >= rules.hold_links:
        return CommentStatus.PENDING, f"has {rules.hold_links} or more links"
    if known:
        return CommentStatus.APPROVED, "the commenter proved an approved comment"
    return CommentStatus.PENDING, "no proof of an approved comment from this address"
