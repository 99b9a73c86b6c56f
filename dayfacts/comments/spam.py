"""Optional Akismet check, on only when AKISMET_API_KEY is set."""

import logging

import akismet
import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

# The client class; tests put the akismet package's offline test client here.
CLIENT_CLASS = akismet.SyncClient


def akismet_enabled():
    """Whether the site owner configured an Akismet key."""
    return bool(settings.AKISMET_API_KEY)


def akismet_says_spam(comment, request):
    """Ask Akismet about a comment; False when it is off or cannot be reached.

    An unreachable Akismet lets the comment through to the other rules rather than losing it.
    """
    if not akismet_enabled():
        return False
    config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.SITE_URL)
    try:
        with CLIENT_CLASS(config=config) as client:
            verdict = client.comment_check(
                user_ip=comment.ip or "",
                user_agent=comment.user_agent,
                referrer=request.headers.get("Referer", ""),
                permalink=settings.SITE_URL + comment.fact.get_absolute_url(),
                comment_type="comment",
                comment_author=comment.name,
                comment_author_email=comment.email,
                comment_author_url=comment.url,
                comment_content=comment.text,
            )
    except (akismet.AkismetError, httpx.HTTPError):
        logger.warning("Akismet check failed; the comment goes through the other rules",
                       exc_info=True)
        return False
    return verdict != akismet.CheckResponse.HAM
