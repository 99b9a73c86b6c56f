"""Background work, run by `dayfacts worker` through Django's tasks framework."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import sending
from .mail import confirmation_message
from .models import Subscriber

logger = logging.getLogger(__name__)

# Confirmation emails jump the queue: a reader is waiting for them. The RQ backend used in
# production has no priorities (a task that asks for one is refused at import), so there
# they wait in turn.
CONFIRMATION_PRIORITY = 50 if default_task_backend.supports_priority else 0
CONFIRMATION_ATTEMPTS = 5


@task(priority=CONFIRMATION_PRIORITY)
def send_confirmation(subscriber_id, attempt=1):
    """Send the double opt-in email to a subscriber still waiting for it."""
    subscriber = Subscriber.objects.pending().filter(pk=subscriber_id).first()
    if subscriber is None:
        return "not pending"
    try:
        get_connection().send_messages([confirmation_message(subscriber)])
    except (smtplib.SMTPException, OSError) as error:
        kind, text = sending.classify(error)
        if kind != "temporary" or attempt >= CONFIRMATION_ATTEMPTS:
            logger.warning("Confirmation to subscriber %s not sent: %s", subscriber_id, text)
            return f"gave up: {text}"
        run_after = timezone.now() + timedelta(seconds=sending.backoff(attempt))
        send_confirmation.using(run_after=run_after).enqueue(subscriber_id, attempt + 1)
        return f"retrying: {text}"
    return "sent"


@task()
def send_deliveries():
    """Send due newsletter deliveries for a while, and queue a follow-up if some remain."""
    outcome = sending.send_due_concurrently()
    if outcome.more:
        send_deliveries.enqueue()
    return {"sent": outcome.sent, "retried": outcome.retried, "failed": outcome.failed,
            "bounced": outcome.bounced, "more": outcome.more}
