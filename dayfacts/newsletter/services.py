"""The newsletter's entry points for other apps: the sign-up pages and the API use these."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from .models import Subscriber, SubscriberStatus, new_key
from .tasks import send_confirmation

# A waiting address gets at most one confirmation email in this time, however often it is
# entered, so the form cannot be used to flood someone's inbox.
RESEND_AFTER = timedelta(minutes=10)


def request_signup(form, request):
    """Sign up the address in a valid SignupForm and send its confirmation email.

    Behaves the same to the caller for a new address, one waiting for confirmation, one
    already subscribed (nothing changes, nothing is sent) and a bot that filled the hidden
    field (nothing is stored), so the answer never tells who subscribes. Raises
    django_ratelimit's Ratelimited when the client's IP address has signed up too often
    (NEWSLETTER_SIGNUP_RATE).
    """
    if is_ratelimited(request, group="newsletter.signup", key="ip",
                      rate=settings.NEWSLETTER_SIGNUP_RATE, increment=True):
        raise Ratelimited()
    if form.is_bot:
        return
    data = form.cleaned_data
    choices = {"frequency": data["frequency"], "delivery_hour": data["delivery_hour"],
               "time_zone": data["time_zone"]}
    now = timezone.now()
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.get_or_create(
                email=data["email"], defaults=choices
            )
    except IntegrityError:  # the same address, signed up at the same moment
        return
    if subscriber.status == SubscriberStatus.ACTIVE:
        return
    if not created:
        if (subscriber.status == SubscriberStatus.PENDING and subscriber.confirmation_sent_at
                and now - subscriber.confirmation_sent_at < RESEND_AFTER):
            return
        if subscriber.status != SubscriberStatus.PENDING:
            # Coming back after leaving (or a bounce): links sent before stop working.
            subscriber.key = new_key()
        for name, value in choices.items():
            setattr(subscriber, name, value)
        subscriber.status = SubscriberStatus.PENDING
    subscriber.confirmation_sent_at = now
    subscriber.save()
    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber.pk))
