"""One entry of a day for small screens: GET /v1/display/today and /v1/display/{MM}/{DD}.

A clock, a picture frame or a widget asks for one thing to show: the day's headline in a few
fields, and the address of the day's card to draw it with. Each day's answer is kept per
content generation, so that today's, asked in every time zone and not stored by the page
cache (its day turns at each reader's midnight), costs no query once made, and answers
while the database is away.
"""

import functools
import json
import zoneinfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from ninja import Path, Query, Router

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact
from dayfacts.pagecache import generation

from . import onthisday
from .http import Problem, json_response
from .schemas import ERRORS, DisplayOut
from .views import TWO_DIGITS

router = Router(tags=["Displays"])


@functools.cache
def time_zones():
    """Every IANA time zone name this machine knows, by its lower-case spelling."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def time_zone(name):
    """The time zone called `name`, the site's when none is given; an unknown name is a 400."""
    if not name:
        return timezone.get_default_timezone()
    known = time_zones().get(name.lower())
    if known is None:
        raise Problem(400, f"tz: unknown time zone {name!r}; give an IANA name such as "
                           "Europe/Paris or America/New_York.")
    return zoneinfo.ZoneInfo(known)


def card_path(day):
    """The address of a day's share card, drawn by the cards app."""
    try:
        return reverse("cards:day", kwargs={"day": day})
    except NoReverseMatch:
        # Where the cards app serves it: beside the day's page, /march/20/card.png.
        return reverse("facts:day", kwargs={"day": day}) + "card.png"


def build(day):
    """The JSON bytes of a day's display answer: its headline, as the day's page leads with."""
    headline = Fact.objects.headline(day)
    site = settings.SITE_URL
    return json.dumps({
        "date": day.numeric,
        "name": day.name,
        "title": headline.title if headline else None,
        "year": headline.year if headline else None,
        "year_display": headline.year_display if headline else "",
        "text": (headline.summary or headline.title) if headline else None,
        "url": site + headline.get_absolute_url() if headline else None,
        "day_url": site + reverse("facts:day", kwargs={"day": day}),
        "card_url": site + card_path(day),
    }).encode()


def answer(day):
    return json_response(generation.remember(f"display:{day.numeric}", lambda: build(day)))


@router.get("/display/today", response={200: DisplayOut, **ERRORS}, url_name="display_today",
            summary="Today's entry for a small screen, in the reader's time zone")
def display_today(
    request,
    tz: str | None = Query(None, max_length=64, description=(
        "The reader's time zone, an IANA name such as Europe/Paris; by default the site's.")),
):
    """Today's headline in a few fields: today as it is where the reader is (`tz`)."""
    return answer(MonthDay.today(time_zone(tz)))


@router.get("/display/{mm}/{dd}", response={200: DisplayOut, **ERRORS}, url_name="display",
            summary="A day's entry for a small screen")
def display_day(request, mm: str = Path(..., pattern=TWO_DIGITS),
                dd: str = Path(..., pattern=TWO_DIGITS)):
    """A calendar day's headline in a few fields."""
    return answer(onthisday.parse_day(mm, dd))
