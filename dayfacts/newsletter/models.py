import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone


def new_key():
    return secrets.token_urlsafe(16)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris.")


def default_hour():
    return settings.NEWSLETTER_DEFAULT_HOUR


def default_time_zone():
    return settings.TIME_ZONE


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly digest"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Subscribers who confirmed and still want mail."""
        return self.filter(status=SubscriberStatus.ACTIVE)

    def pending(self):
        return self.filter(status=SubscriberStatus.PENDING)

    def receiving(self, frequency):
        """Active subscribers of one frequency (daily or weekly)."""
        return self.active().filter(frequency=frequency)

    def due(self, time_zone, hour):
        """Active subscribers in `time_zone` whose delivery hour has come by local `hour`."""
        return self.active().filter(time_zone=time_zone, delivery_hour__lte=hour)

    def time_zones(self):
        """The distinct time zones of active subscribers."""
        return self.active().order_by().values_list("time_zone", flat=True).distinct()

    def with_email(self, email):
        return self.filter(email=normalize_email(email))


def normalize_email(email):
    """The form an address is stored and looked up in: trimmed and lower-cased."""
    return email.strip().lower()


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    delivery_hour = models.PositiveSmallIntegerField(
        default=default_hour, help_text="Local hour (0-23) the email goes out."
    )
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone],
        help_text="The delivery hour is read in this time zone.",
    )
    status = models.CharField(
        max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING,
        help_text="Only subscribed (confirmed) addresses get editions.",
    )
    # Signed into every link a subscriber is sent; a fresh key voids the old links.
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        indexes = [
            models.Index(fields=["status", "time_zone", "frequency", "delivery_hour"],
                         name="subscriber_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(delivery_hour__gte=0, delivery_hour__lte=23),
                                   name="subscriber_hour_range"),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status == SubscriberStatus.ACTIVE

    def confirm(self):
        """Start sending to this address (the confirmation link was followed)."""
        self.status = SubscriberStatus.ACTIVE
        self.confirmed_at = timezone.now()
        self.save(update_fields=["status", "confirmed_at"])

    def unsubscribe(self):
        """Stop all mail to this address, including anything queued for it."""
        if self.status != SubscriberStatus.UNSUBSCRIBED:
            self.status = SubscriberStatus.UNSUBSCRIBED
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["status", "unsubscribed_at"])
        self.deliveries.queued().update(status=DeliveryStatus.CANCELLED)

    def mark_bounced(self):
        """Stop mail to an address the mail server refused for good."""
        Subscriber.objects.filter(pk=self.pk).update(
            status=SubscriberStatus.BOUNCED, bounced_at=timezone.now()
        )
        self.deliveries.queued().update(status=DeliveryStatus.CANCELLED)

    def as_data(self):
        """Everything kept about this subscriber, for their own download."""
        return {
            "email": self.email,
            "status": self.status,
            "frequency": self.frequency,
            "delivery_hour": self.delivery_hour,
            "time_zone": self.time_zone,
            "signed_up": self.created.isoformat(),
            "confirmed": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "unsubscribed": self.unsubscribed_at.isoformat() if self.unsubscribed_at else None,
            "deliveries": [
                {"edition": str(d.edition), "status": d.status,
                 "sent": d.sent_at.isoformat() if d.sent_at else None}
                for d in self.deliveries.select_related("edition").order_by("pk")
            ],
        }


class EditionQuerySet(models.QuerySet):
    def with_counts(self):
        """Annotate each edition with its deliveries by status."""
        return self.annotate(**{
            f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
            for status in DeliveryStatus.values
        })

    def in_progress(self):
        """Editions with deliveries still waiting to go out (queued, retrying or being sent)."""
        waiting = Delivery.objects.filter(edition=OuterRef("pk"), status__in=WAITING)
        return self.filter(Exists(waiting))

    def with_progress(self):
        """Annotate each edition with its delivery counts and `started`: its first claim.

        Until a sender has claimed a delivery, `started` is when the edition was made.
        """
        return self.with_counts().annotate(
            delivery_count=Count("deliveries"),
            started=Coalesce(Min("deliveries__claimed_at"), F("created")),
        )


class Edition(models.Model):
    """One day's (or one week's) email, rendered once and sent to many."""

    frequency = models.CharField(max_length=6, choices=Frequency.choices)
    date = models.DateField(help_text="The day it is for; a weekly digest's first day.")
    subject = models.CharField(max_length=300)
    html = models.TextField()
    text = models.TextField()
    paused = models.BooleanField(default=False, help_text="Paused editions send nothing.")
    created = models.DateTimeField(auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "date"], name="edition_once_per_day"),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} {self.date:%Y-%m-%d}"

    @property
    def progress(self):
        """How far sending has come, 0 to 1: deliveries no longer waiting, of all of them.

        Needs the counts of Edition.objects.with_progress(). A delivery that failed for
        good, bounced or was cancelled is done too, so a finished edition reaches 1.
        """
        if not self.delivery_count:
            return 0.0
        waiting = sum(getattr(self, f"{status}_count") for status in WAITING)
        return (self.delivery_count - waiting) / self.delivery_count


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    CANCELLED = "cancelled", "Cancelled"


# Deliveries that have not ended: a queued one may be a retry waiting for its next attempt.
WAITING = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]


class DeliveryQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(status=DeliveryStatus.QUEUED)

    def due(self, now=None):
        """Queued deliveries whose time has come, of editions not paused."""
        return self.queued().filter(
            next_attempt_at__lte=now or timezone.now(), edition__paused=False
        )

    def claimed_before(self, moment):
        """Deliveries a sender claimed before `moment` and never finished."""
        return self.filter(status=DeliveryStatus.SENDING, claimed_at__lt=moment)


class Delivery(models.Model):
    """One edition to one subscriber: the outbox row that makes sending exactly once."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=9, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self):
        return f"{self.edition} to subscriber {self.subscriber_id}"
