"""Round anniversaries: the entries of a day whose year is 25, 50, 75, 100... years back."""

from dayfacts.facts.models import Fact

EVERY = 25


def years_ago(year, today):
    """Whole years from `year` to `today` (a date), with no year 0 between 1 BC and AD 1."""
    return today.year - year - (1 if year < 0 else 0)


def round_years(today, earliest=-5000):
    """The years that are a round number of years before `today`, newest first."""
    years, ago = [], EVERY
    while True:
        year = today.year - ago
        if year <= 0:
            year -= 1  # counting back past AD 1 skips the year 0 that never was
        if year < earliest:
            return years
        years.append(year)
        ago += EVERY


def on(days, today, limit=8):
    """The most notable published entries of `days` that have a round anniversary `today`."""
    facts = Fact.objects.published().on(*days).filter(year__in=round_years(today))
    found = list(facts.by_notability()[:limit])
    return sorted(found, key=lambda fact: years_ago(fact.year, today), reverse=True)
