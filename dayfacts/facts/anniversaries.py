"""Round anniversaries: the entries of a day whose year is 25, 50, 75, 100... years back."""

from dayfacts.days.years import year_before
from dayfacts.facts.models import Fact

EVERY = 25


def round_years(today, earliest=-5000):
    """The years that are a round number of years before `today`, newest first."""
    years, ago = [], EVERY
    while (year := year_before(today, ago)) >= earliest:
        years.append(year)
        ago += EVERY
    return years


def on(days, today, limit=8, facts=Fact.objects):
    """The most notable published entries of `days` that have a round anniversary in the
    year of `today` (a date), from the queryset `facts` (all facts unless told)."""
    facts = facts.published().on(*days).filter(year__in=round_years(today))
    found = list(facts.by_notability()[:limit])
    return sorted(found, key=lambda fact: fact.years_ago(today), reverse=True)
