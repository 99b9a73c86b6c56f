"""What an edition says: the day's facts, read with the facts app's queryset words."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from dayfacts.days import MonthDay, days_shown_on
from dayfacts.facts.models import Fact

from .models import Edition, Frequency

# Rendered once into every edition, replaced per subscriber when the message is built.
UNSUBSCRIBE_URL = "%%UNSUBSCRIBE_URL%%"
# How many entries of each kind the daily email lists below its featured fact.
LIST_LENGTHS = {"events": 5, "births": 3, "deaths": 3, "holidays": 3}


def absolute(path):
    return settings.SITE_URL + path


def daily_context(date):
    """The featured fact and a few more entries for the day `date` falls on."""
    days = days_shown_on(date)
    day = days[0]
    headline = Fact.objects.headline(day)
    on_days = Fact.objects.published().on(*days)
    if headline:
        on_days = on_days.exclude(pk=headline.pk)
    lists = {
        "events": on_days.events(),
        "births": on_days.births(),
        "deaths": on_days.deaths(),
        "holidays": on_days.holidays(),
    }
    context = {
        name: list(queryset.by_notability()[: LIST_LENGTHS[name]])
        for name, queryset in lists.items()
    }
    return {
        "day": day,
        "date": date,
        "headline": headline,
        "day_url": absolute(reverse("facts:day", kwargs={"day": day})),
        **context,
    }


def weekly_context(date):
    """The featured fact of each of the seven days from `date` on."""
    week = []
    for offset in range(7):
        day = MonthDay.from_date(date + dt.timedelta(days=offset))
        headline = Fact.objects.headline(day)
        if headline:
            week.append({"day": day, "fact": headline,
                         "day_url": absolute(reverse("facts:day", kwargs={"day": day}))})
    return {"date": date, "end": date + dt.timedelta(days=6), "week": week,
            "headline": week[0]["fact"] if week else None}


def render_edition(frequency, date):
    """Render (subject, html, text) for an edition, or None when there is nothing to send."""
    if frequency == Frequency.WEEKLY:
        context = weekly_context(date)
        if not context["week"]:
            return None
        subject = f"This week in history: {context['week'][0]['day'].name} to " \
                  f"{MonthDay.from_date(context['end']).name}"
    else:
        context = daily_context(date)
        if not context["headline"]:
            return None
        subject = f"{context['day'].long_name}: {context['headline'].title}"
    context.update(
        SITE_NAME=settings.SITE_NAME, SITE_URL=settings.SITE_URL,
        unsubscribe_url=UNSUBSCRIBE_URL, frequency=frequency,
    )
    html = render_to_string(f"newsletter/email/{frequency}.html", context)
    text = render_to_string(f"newsletter/email/{frequency}.txt", context)
    return subject[:300], html, text


def edition_for(frequency, date):
    """The edition of `frequency` for `date`, rendered and stored the first time it is asked.

    Two schedulers asking at once both end with the one stored edition: the loser of the
    unique constraint reads the winner's.
    """
    edition = Edition.objects.filter(frequency=frequency, date=date).first()
    if edition:
        return edition
    rendered = render_edition(frequency, date)
    if rendered is None:
        return None
    subject, html, text = rendered
    try:
        with transaction.atomic():
            return Edition.objects.create(
                frequency=frequency, date=date, subject=subject, html=html, text=text
            )
    except IntegrityError:
        return Edition.objects.get(frequency=frequency, date=date)
