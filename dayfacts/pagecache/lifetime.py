"""How long a cached page may live: never past the next moment its content changes by time.

Edits start a new generation (signals.py), but two changes come with the clock alone: a
scheduled fact becomes visible at its publish_at, and the site's date turns at midnight
(the front page shows today). Every entry expires at the first of these.
"""

import datetime

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from dayfacts.facts.models import Fact


def next_publication(now):
    """The earliest publish_at still to come of a fact that will then show, or None."""
    return Fact.objects.upcoming(now).aggregate(first=Min("publish_at"))["first"]


def next_midnight(now):
    """The next midnight in the site's time zone."""
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()),
                               local.tzinfo)


def expiry(now=None):
    """The moment (an aware datetime) a page rendered at `now` stops being good."""
    now = now or timezone.now()
    candidates = [
        now + datetime.timedelta(seconds=settings.PAGECACHE_TIMEOUT),
        next_midnight(now),
    ]
    publication = next_publication(now)
    if publication is not None:
        candidates.append(publication)
    return min(candidates)
