"""RSS 2.0 and Atom feeds: the day's featured fact, and a topic's anniversaries."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from dayfacts.days import MonthDay, days_shown_on
from dayfacts.facts.models import Fact, Topic

# How many days back a feed reaches: a month of entries for a reader who checks rarely.
FEED_DAYS = 30


def absolute(path):
    return settings.SITE_URL + path


def recent_dates(today=None):
    """The dates a feed covers, today first."""
    today = today or timezone.localdate()
    return [today - dt.timedelta(days=n) for n in range(FEED_DAYS)]


def start_of(date):
    """Midnight of `date` in the site's time zone: when that day's entry appeared."""
    return timezone.make_aware(dt.datetime.combine(date, dt.time()))


class Anniversary:
    """A fact shown on a date of this year: the same fact recurs, so the date is its identity."""

    def __init__(self, date, fact):
        self.date, self.fact = date, fact


class FeaturedFacts(Feed):
    """The fact each day's page led with, for the last FEED_DAYS days."""

    description_template = None

    def title(self):
        return f"{settings.SITE_NAME}: on this day"

    def link(self):
        return absolute(reverse("facts:today"))

    def description(self):
        return "The fact each day of the year leads with, every day."

    def feed_url(self):
        return absolute(reverse("syndication:rss"))

    def items(self):
        days = {date: MonthDay.from_date(date) for date in recent_dates()}
        headlines = Fact.objects.headlines(*set(days.values()))
        return [Anniversary(date, headlines[day]) for date, day in days.items()
                if headlines[day] is not None]

    def item_title(self, entry):
        fact = entry.fact
        year = f", {fact.year_display}" if fact.year is not None else ""
        return f"{fact.monthday.name}{year}: {fact.title}"

    def item_description(self, entry):
        return entry.fact.body_html or entry.fact.summary or entry.fact.title

    def item_link(self, entry):
        return absolute(entry.fact.get_absolute_url())

    def item_guid(self, entry):
        return f"{self.item_link(entry)}#{entry.date.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return start_of(entry.date)

    def item_updateddate(self, entry):
        return max(entry.fact.updated, start_of(entry.date))

    def item_categories(self, entry):
        return [topic.name for topic in entry.fact.topics.all()]

    def item_copyright(self, entry):
        fact = entry.fact
        return " ".join(part for part in (fact.licence, fact.attribution) if part) or None


class FeaturedFactsAtom(FeaturedFacts):
    feed_type = Atom1Feed
    subtitle = FeaturedFacts.description

    def feed_url(self):
        return absolute(reverse("syndication:atom"))


class TopicFacts(FeaturedFacts):
    """A topic's facts whose calendar day fell in the last FEED_DAYS days, newest day first."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"{settings.SITE_NAME}: {topic.name}, on this day"

    def link(self, topic):
        return absolute(topic.get_absolute_url())

    def description(self, topic):
        return topic.description or f"Anniversaries in {topic.name}, on their day."

    def feed_url(self, topic):
        return absolute(reverse("syndication:topic_rss", kwargs={"slug": topic.slug}))

    def items(self, topic):
        # Feb 29's facts come round on Feb 28 in a common year, as on the day pages.
        dates = {day: date for date in recent_dates() for day in days_shown_on(date)}
        facts = (Fact.objects.published().with_topic(topic).on(*dates)
                 .by_notability().prefetch_related("topics"))
        entries = [Anniversary(dates[fact.monthday], fact) for fact in facts[:200]]
        return sorted(entries, key=lambda entry: entry.date, reverse=True)


class TopicFactsAtom(TopicFacts):
    feed_type = Atom1Feed

    def subtitle(self, topic):
        return self.description(topic)

    def feed_url(self, topic):
        return absolute(reverse("syndication:topic_atom", kwargs={"slug": topic.slug}))
