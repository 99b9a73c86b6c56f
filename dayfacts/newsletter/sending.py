"""The durable outbox: claim due deliveries, send them over one connection, record each.

A delivery is claimed (status "sending") before its message goes out and marked sent right
after the server accepts it. A worker killed in between leaves at most the message it was
sending accepted but unrecorded; every claimed delivery left behind is put back in the
queue once its claim is older than NEWSLETTER_CLAIM_TIMEOUT, and sent again.
"""

import logging
import os
import random
import re
import smtplib
import socket
import time
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connections, transaction
from django.utils import timezone

from .mail import EditionMail
from .models import Delivery, DeliveryStatus, Edition, Subscriber, SubscriberStatus

logger = logging.getLogger(__name__)

Recipient = namedtuple("Recipient", "delivery_id edition_id pk email key attempts")

MARK_SENT_SQL = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, claimed_by = %s "
    f"WHERE {Delivery._meta.pk.column} = %s"
)
# Error texts an Outcome keeps for the task's result; the log has every one.
KEPT_ERRORS = 20
# Mail servers answer 4xx for "try again later" and 5xx for "never".
PERMANENT = 500
# Enhanced status codes (RFC 3463) that put a permanent refusal on the message itself:
# its content or media (5.6.x), a policy such as a spam filter (5.7.x), or its size
# (5.3.4). Any other permanent refusal, at RCPT or at DATA, is the address's.
MESSAGE_FAULT = re.compile(rb"^\s*5\.(6\.\d+|7\.\d+|3\.4)\b")
# SMTP errors that say our side is misconfigured, not that the address is bad.
NOT_THE_ADDRESS = (smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError,
                   smtplib.SMTPHeloError, smtplib.SMTPNotSupportedError)


def worker_name(sender=None):
    """Who claims: host, process and sender thread, so an operator can tell claims apart."""
    suffix = f":{os.getpid()}" + ("" if sender is None else f":{sender}")
    return socket.gethostname()[:64 - len(suffix)] + suffix


def backoff(attempts):
    """Seconds before attempt number `attempts + 1`: doubling from a minute, at most 6 hours."""
    delay = min(60 * 2 ** max(attempts - 1, 0), 6 * 3600)
    return delay * random.uniform(0.8, 1.2)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    more: bool = False
    errors: list = field(default_factory=list)


def requeue_abandoned(now=None):
    """Put back deliveries whose sender vanished (claimed too long ago); return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)
    return Delivery.objects.claimed_before(cutoff).update(
        status=DeliveryStatus.QUEUED, claimed_by="", claimed_at=None, next_attempt_at=now
    )


def claim(worker, size, now=None):
    """Mark up to `size` due deliveries as being sent by `worker` and return them."""
    now = now or timezone.now()
    due = Delivery.objects.due(now).filter(subscriber__status=SubscriberStatus.ACTIVE)
    with transaction.atomic():
        # PostgreSQL skips rows another sender holds; SQLite's IMMEDIATE transactions
        # let one claimer in at a time.
        ids = list(
            due.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING, claimed_by=worker, claimed_at=now
        )
    rows = Delivery.objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "edition_id", "subscriber_id", "subscriber__email", "subscriber__key", "attempts"
    )
    return [Recipient(*row) for row in rows]


def classify(error):
    """Return (kind, message) for an exception raised while sending one message.

    kind is "bounced" when the server refused the address for good (5xx to RCPT, or to
    DATA: each message has one recipient), "rejected" when a 5xx to DATA names the message
    as the fault (content, policy or size: the address stays subscribed), and "temporary"
    for everything worth another try.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return ("bounced" if code >= PERMANENT else "temporary"), f"{code} {text!r}"
    if isinstance(error, NOT_THE_ADDRESS):
        return "temporary", f"{type(error).__name__}: {error}"
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code < PERMANENT:
            kind = "temporary"
        elif MESSAGE_FAULT.match(error.smtp_error or b""):
            kind = "rejected"
        else:
            kind = "bounced"
        return kind, f"{error.smtp_code} {error.smtp_error!r}"
    return "temporary", f"{type(error).__name__}: {error}"


def record_failure(recipient, kind, message, now):
    """Record a failed attempt; return "bounced", "failed" or "retried"."""
    if kind == "bounced":
        Delivery.objects.filter(pk=recipient.delivery_id).update(
            status=DeliveryStatus.BOUNCED, attempts=recipient.attempts + 1,
            last_error=message[:500], claimed_by="",
        )
        Subscriber(pk=recipient.pk).mark_bounced()
        return "bounced"
    attempts = recipient.attempts + 1
    give_up = kind == "rejected" or attempts >= settings.NEWSLETTER_MAX_ATTEMPTS
    Delivery.objects.filter(pk=recipient.delivery_id).update(
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.QUEUED,
        attempts=attempts, last_error=message[:500], claimed_by="", claimed_at=None,
        next_attempt_at=now + timedelta(seconds=backoff(attempts)),
    )
    return "failed" if give_up else "retried"


def send_due(worker=None, time_budget=30.0, connection=None):
    """Send due deliveries in batches over one connection, for up to `time_budget` seconds.

    Returns an Outcome whose `more` says whether due deliveries remain.
    """
    worker = worker or worker_name()
    outcome = Outcome()
    deadline = time.monotonic() + time_budget
    connection = connection or get_connection()
    mails = {}
    try:
        while time.monotonic() < deadline:
            batch = claim(worker, settings.NEWSLETTER_BATCH_SIZE)
            if not batch:
                return outcome
            broken = send_batch(batch, connection, mails, outcome)
            if broken:
                # The server is unreachable: the rest of the batch waits for the backoff
                # rather than failing one message at a time.
                return outcome
        outcome.more = Delivery.objects.due().exists()
        return outcome
    finally:
        close_quietly(connection)


def send_due_concurrently(senders=None, time_budget=30.0):
    """Send due deliveries over `senders` SMTP connections at once, a thread for each.

    A mail server spends most of each message's time on its side. While one connection
    waits for it, another records what it sent and prepares its next message, so the
    server is never left waiting for us. Each thread claims batches of its own, so no two
    send the same delivery. Returns one Outcome for them all.
    """
    senders = senders or settings.NEWSLETTER_CONNECTIONS
    if senders <= 1:
        return send_due(time_budget=time_budget)

    def sender(number):
        try:
            return send_due(worker_name(number), time_budget)
        finally:
            connections.close_all()  # this thread's own database connections

    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="newsletter") as pool:
        outcomes = list(pool.map(sender, range(1, senders + 1)))
    total = Outcome(more=any(outcome.more for outcome in outcomes))
    for outcome in outcomes:
        for name in ("sent", "retried", "failed", "bounced"):
            setattr(total, name, getattr(total, name) + getattr(outcome, name))
        total.errors.extend(outcome.errors[:KEPT_ERRORS - len(total.errors)])
    return total


def close_quietly(connection):
    """Close a connection that may already be broken."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def send_batch(batch, connection, mails, outcome):
    """Send one claimed batch; return True when the connection broke off."""
    for index, recipient in enumerate(batch):
        mail = mails.get(recipient.edition_id)
        if mail is None:
            mail = mails[recipient.edition_id] = EditionMail(
                Edition.objects.get(pk=recipient.edition_id)
            )
        message = mail.for_subscriber(recipient)
        try:
            # Opened here, not inside send_messages, which would close it after each message.
            connection.open()
            smtp = getattr(connection, "connection", None)
            if isinstance(smtp, smtplib.SMTP) and recipient.email.isascii():
                # Straight to smtplib: the addresses are known good, and skipping the
                # backend's per-message address parsing is a good part of the speed.
                smtp.sendmail(mail.envelope_from, [recipient.email], message.data)
            else:
                connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            now = timezone.now()
            kind, text = classify(error)
            logger.warning("Delivery %s: %s", recipient.delivery_id, text)
            if len(outcome.errors) < KEPT_ERRORS:
                outcome.errors.append(text)
            result = record_failure(recipient, kind, text, now)
            setattr(outcome, result, getattr(outcome, result) + 1)
            if not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                close_quietly(connection)
                for rest in batch[index + 1:]:
                    outcome.retried += 1
                    record_failure(rest, "temporary", text, now)
                return True
            continue
        mark_sent(recipient.delivery_id)
        outcome.sent += 1
    return False


def mark_sent(delivery_id):
    """Record one delivery as sent, in its own transaction, right after the server took it."""
    # Plain SQL: this runs once per message, and on SQLite building the ORM's update()
    # takes longer than the database takes to run it.
    connection = connections[Delivery.objects.db]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT_SQL, [DeliveryStatus.SENT.value, now, "", delivery_id])
