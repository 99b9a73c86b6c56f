import random

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from dayfacts.days import MonthDay, format_year
from dayfacts.days.reversing import cached_reverse
from dayfacts.days.years import check_year, years_ago

from .managers import FactManager
from .markup import render_markdown
from .slugs import free_slug, slug_base


class Kind(models.TextChoices):
    EVENT = "event", "Event"
    BIRTH = "birth", "Birth"
    DEATH = "death", "Death"
    HOLIDAY = "holiday", "Holiday"


# Each kind's label, for code that writes many entries: get_kind_display() flattens the
# field's choices on every call.
KIND_LABELS = dict(Kind.choices)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    # Written by an import still running: readers see it once the whole day is in, together
    # with the rest of that day's new entries (interchange.loader).
    IMPORTING = "importing", "Importing"


class TopicQuerySet(models.QuerySet):
    def with_fact_counts(self):
        """Each topic with `fact_count`: how many of its facts readers may see."""
        return self.annotate(fact_count=Count(
            "facts", filter=Q(facts__in=Fact.objects.published().values("pk"))))

    def shown(self):
        """Topics with at least one fact readers may see: the ones pages list."""
        return self.with_fact_counts().filter(fact_count__gt=0)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("facts:topic", slug=self.slug)


# The statuses of facts readers see once their publication time has come; a draft, or a fact
# an import is still writing, never shows.
SHOWN_STATUSES = [Status.PUBLISHED, Status.SCHEDULED]


class FactQuerySet(models.QuerySet):
    def published(self, now=None):
        """Facts readers may see: published, or scheduled for a time that has come.

        The one statement of the rule: pages, feeds, the API and search all ask it.
        """
        return self.filter(status__in=SHOWN_STATUSES, publish_at__lte=now or timezone.now())

    def upcoming(self, now=None):
        """Facts that readers will see once their publication time, still to come, arrives."""
        return self.filter(status__in=SHOWN_STATUSES, publish_at__gt=now or timezone.now())

    def on(self, *days):
        """Facts of one or more calendar days (MonthDay values)."""
        condition = Q()
        for day in days:
            condition |= Q(month=day.month, day=day.day)
        return self.filter(condition)

    def in_month(self, month):
        return self.filter(month=month)

    def in_year(self, year):
        return self.filter(year=year)

    def featured(self):
        return self.filter(featured=True)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def events(self):
        return self.filter(kind=Kind.EVENT)

    def births(self):
        return self.filter(kind=Kind.BIRTH)

    def deaths(self):
        return self.filter(kind=Kind.DEATH)

    def births_and_deaths(self):
        return self.filter(kind__in=[Kind.BIRTH, Kind.DEATH])

    def holidays(self):
        return self.filter(kind=Kind.HOLIDAY)

    def with_topic(self, topic):
        return self.filter(topics=topic)

    def with_article(self):
        """Facts with an article of their own (a body), not only a line in a list."""
        return self.exclude(body="")

    def between_years(self, first=None, last=None):
        """Facts dated from year `first` to year `last`, both included; None leaves it open."""
        facts = self
        if first is not None:
            facts = facts.filter(year__gte=first)
        if last is not None:
            facts = facts.filter(year__lte=last)
        return facts

    def random(self):
        """One fact picked at random from this queryset, or None when it is empty."""
        count = self.count()
        if not count:
            return None
        # Skipping through ids alone reads an index, not every row before the pick.
        pk = self.order_by("pk").values_list("pk", flat=True)[random.randrange(count)]
        return self.get(pk=pk)

    def by_notability(self):
        """Most notable first: editors' notability, then the older entry."""
        return self.order_by("-notability", F("year").asc(nulls_last=True), "pk")

    def chronological(self):
        return self.order_by(F("year").asc(nulls_first=True), "pk")

    def newest_first(self):
        return self.order_by(F("year").desc(nulls_last=True), "-pk")


# Only web addresses are stored and linked: a link to a `javascript:` address runs its script
# in the reader's page, where a page without a Content-Security-Policy does not stop it.
def validate_year(value):
    """Refuse year 0 and a year outside the site's range (dayfacts.days.years)."""
    try:
        check_year(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_year") from None


validate_web_url = URLValidator(schemes=["http", "https"])


def web_link(url):
    """Return `url` if a page may link to it (an http or https address), else ""."""
    try:
        validate_web_url(url)
    except ValidationError:
        return ""
    return url


# Stands for a slug in a reversed address (slugs are ASCII letters, digits, - and _).
SLUG_MARK = "slug-mark"


class Fact(models.Model):
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    year = models.IntegerField(
        null=True, blank=True, validators=[validate_year],
        help_text="Negative for BC (44 BC is -44); there is no year 0."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        blank=True, help_text="One or two plain sentences, shown in lists, feeds and the API."
    )
    body = models.TextField(blank=True, help_text="The article, in Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="facts")
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    licence = models.CharField(max_length=100, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    featured = models.BooleanField(
        default=False, help_text="Lead the day's page with this fact."
    )
    notability = models.IntegerField(
        default=0, help_text="Higher comes first in the day's bounded lists."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        default=timezone.now,
        help_text="When a scheduled fact goes live; published facts show from this time.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = FactManager.from_queryset(FactQuerySet)()

    class Meta:
        ordering = ["month", "day", "year", "pk"]
        indexes = [
            # Covers the day page's per-kind lists and counts, visibility included, so neither
            # reads the table rows (an index-only scan on PostgreSQL, a covering index on SQLite).
            models.Index(
                fields=["month", "day", "kind", "-notability", "status", "publish_at", "year"],
                name="fact_day_kind",
            ),
            # Only the featured few, newest first: a boolean key is no help to SQLite (it
            # tests `featured` as an expression, not as a key), where a partial index is.
            # The id breaks ties as headlines() does, so that PostgreSQL reads each day's
            # first row without sorting them all (SQLite's indexes end in the rowid anyway).
            models.Index(fields=["month", "day", "-updated", "id"], condition=Q(featured=True),
                         name="fact_day_featured_id"),
            models.Index(fields=["year", "month", "day"], name="fact_year"),
            models.Index(fields=["status", "publish_at"], name="fact_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12) & Q(day__gte=1, day__lte=31),
                name="fact_month_day_range",
            ),
            models.CheckConstraint(condition=~Q(year=0), name="fact_no_year_zero"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if not self.slug:
            self.slug = self.unique_slug()
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A day page links some eighty facts, each from its list, its timeline mark and its
        # JSON-LD: the address is made from one reversed once, and kept with the slug it was
        # made for, so an edited slug gets a new one.
        made = self.__dict__.get("_address")
        if made is None or made[0] != self.slug:
            url = cached_reverse("facts:fact", slug=SLUG_MARK).replace(SLUG_MARK, self.slug)
            made = self._address = (self.slug, url)
        return made[1]

    def clean(self):
        errors = {}
        try:
            MonthDay(self.month, self.day)
        except (TypeError, ValueError) as error:
            errors["day"] = str(error) if self.month and self.day else "Give a month and a day."
        if self.year == 0:
            errors["year"] = "There is no year 0: 1 BC (-1) is followed by AD 1."
        if errors:
            raise ValidationError(errors)

    def unique_slug(self):
        """A slug from the title and the year, made unique with a counter."""
        others = Fact.objects.exclude(pk=self.pk)
        return free_slug(slug_base(self.title, self.year),
                         lambda slug: others.filter(slug=slug).exists())

    @property
    def monthday(self):
        return MonthDay(self.month, self.day)

    @property
    def year_display(self):
        return format_year(self.year)

    @property
    def is_published(self):
        """Whether readers may see this fact, as stored (asks published())."""
        return Fact.objects.published().filter(pk=self.pk).exists()

    def years_ago(self, today):
        """How many years before `today` (a date) this fact happened; None if undated."""
        return None if self.year is None else years_ago(self.year, today)

