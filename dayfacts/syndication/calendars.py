"""iCalendar feeds of yearly anniversaries, for calendar apps to subscribe to.

Every fact becomes an all-day event that repeats each year on its calendar day. Events start
in BASE_YEAR whatever the fact's year (iCalendar has no years BC, and a start in 1066 makes
some calendar apps expand a thousand occurrences). BASE_YEAR is a leap year, so a Feb 29 fact
can start on its own day; it then repeats on the last day of February (BYMONTHDAY=-1): Feb 29
in leap years and Feb 28 in common years, as the day pages show it.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vRecur

from dayfacts.facts.models import Fact

BASE_YEAR = 2000
# A calendar of a whole topic stays small enough for any calendar app to load.
MAX_EVENTS = 2000


def yearly_rule(fact):
    """The recurrence of a fact's calendar day; Feb 29 falls back to Feb 28 in common years."""
    if fact.monthday.is_leap_day:
        return vRecur(freq="YEARLY", bymonth=2, bymonthday=-1)
    return vRecur(freq="YEARLY")


def event_for(fact, host):
    """An all-day yearly event for a fact."""
    start = dt.date(BASE_YEAR, fact.month, fact.day)
    url = settings.SITE_URL + fact.get_absolute_url()
    year = f" ({fact.year_display})" if fact.year is not None else ""
    event = Event()
    event.add("uid", f"fact-{fact.pk}@{host}")
    event.add("dtstamp", fact.updated)
    event.add("last-modified", fact.updated)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    event.add("rrule", yearly_rule(fact))
    event.add("summary", f"{fact.title}{year}")
    event.add("description", "\n\n".join(part for part in (fact.summary, url) if part))
    event.add("url", url)
    event.add("categories", [fact.get_kind_display(), *(t.name for t in fact.topics.all())])
    event.add("transp", "TRANSPARENT")
    return event


def calendar_of(facts, name, description):
    """A VCALENDAR holding one yearly event per fact."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//anniversaries//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    # Ask subscribers to refresh daily (RFC 7986, and the older Microsoft name for it).
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for fact in facts.prefetch_related("topics")[:MAX_EVENTS]:
        calendar.add_component(event_for(fact, host))
    return calendar


def featured_calendar():
    """The featured facts: the ones editors chose to lead their day."""
    facts = Fact.objects.published().featured().by_notability()
    return calendar_of(facts, f"{settings.SITE_NAME}: featured anniversaries",
                       "Each featured fact, every year on its day.")


def topic_calendar(topic):
    """A topic's facts, the most notable first when there are more than MAX_EVENTS."""
    facts = Fact.objects.published().with_topic(topic).by_notability()
    return calendar_of(facts, f"{settings.SITE_NAME}: {topic.name}",
                       topic.description or f"Anniversaries in {topic.name}.")
