"""Signed tokens for the links a subscriber is sent (django.core.signing)."""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "dayfacts.newsletter.confirm"
UNSUBSCRIBE_SALT = "dayfacts.newsletter.unsubscribe"


def confirm_token(subscriber):
    """A token for the confirmation link; it expires after NEWSLETTER_CONFIRM_MAX_AGE."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.key)


def unsubscribe_signer():
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(subscriber):
    """A token for the unsubscribe, data and deletion links; it expires after
    NEWSLETTER_LINK_MAX_AGE, and every email carries a fresh one."""
    return unsubscribe_signer().sign(subscriber.key)


def subscriber_from_confirm_token(token):
    """The subscriber a confirmation token names; raises SignatureExpired or BadSignature."""
    key = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
        token, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
    )
    return Subscriber.objects.filter(key=key).first()


def subscriber_from_unsubscribe_token(token):
    """The subscriber an unsubscribe token names, or None for a bad or stale token.

    Raises SignatureExpired for a token older than NEWSLETTER_LINK_MAX_AGE, and for one
    without a time (signed before links expired), which therefore lasts no longer.
    """
    try:
        key = unsubscribe_signer().unsign(token, max_age=settings.NEWSLETTER_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, ValueError):
        # The key alone carries the same signature under both signers, and TimestampSigner
        # then finds no time in it (ValueError).
        try:
            signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
        except signing.BadSignature:
            return None
        raise signing.SignatureExpired("This link was made before links expired.") from None
    return Subscriber.objects.filter(key=key).first()
