from django import template

from dayfacts.days import format_year
from dayfacts.days.urls import cached_reverse

register = template.Library()


@register.filter
def year(value):
    """Write a year for people: -44 -> '44 BC'."""
    return format_year(value)


@register.simple_tag
def year_url(value):
    return cached_reverse("facts:year", year=value)


@register.filter
def years_ago(year, today):
    """How many years before `today` (a date) a year was, counting that there is no year 0."""
    if year is None or today is None:
        return None
    return today.year - year - (1 if year < 0 else 0)


@register.filter
def is_round(number):
    """25, 50, 75, 100... years: the anniversaries worth calling out."""
    return bool(number) and number > 0 and number % 25 == 0
