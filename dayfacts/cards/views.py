"""The share cards of day pages and fact pages, stored by the page cache like the pages."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from dayfacts.facts.models import Fact

from . import drawing

# What a day without entries says in place of a headline.
EMPTY_DAY = "Events, births, deaths and holidays"


def card(day, fact):
    """The PNG answer for `day` (a MonthDay) led by `fact`, or by no fact."""
    png = drawing.draw(day.name, fact.title if fact else EMPTY_DAY,
                       fact.year_display if fact else "", settings.SITE_NAME)
    return HttpResponse(png, content_type="image/png")


def day_card(request, day):
    """A day page's card: the day and the fact its page leads with."""
    return card(day, Fact.objects.headline(day))


def fact_card(request, slug):
    """A fact page's card; a fact readers may not see has none."""
    fact = get_object_or_404(Fact.objects.published(), slug=slug)
    return card(fact.monthday, fact)
