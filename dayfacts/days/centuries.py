"""Centuries as integers: 20 is 1901-2000, -1 is 100 BC-1 BC. There is no century 0.

Counted the way historians count, from year 1, so the BC side mirrors the AD side.
"""

from dayfacts.days.monthday import ordinal_suffix

EARLIEST = -30
LATEST = 22


def century_of(year):
    """The century a year falls in: 1952 -> 20, 2000 -> 20, -44 -> -1, None -> None."""
    if year is None:
        return None
    if year == 0:
        raise ValueError("There is no year 0.")
    number = (abs(year) - 1) // 100 + 1
    return number if year > 0 else -number


def century_years(century):
    """The first and last year of a century: 20 -> (1901, 2000), -1 -> (-100, -1)."""
    if century == 0:
        raise ValueError("There is no century 0.")
    if century > 0:
        return (century - 1) * 100 + 1, century * 100
    return century * 100, (century + 1) * 100 - 1


def century_name(century, short=False):
    """Write a century for people: 20 -> '20th century', -1 -> '1st century BC'."""
    number = abs(century)
    words = f"{number}{ordinal_suffix(number)}" + ("" if short else " century")
    return words + (" BC" if century < 0 else "")


def choices():
    """Every century the search filter offers, newest first."""
    return [(c, century_name(c)) for c in range(LATEST, EARLIEST - 1, -1) if c != 0]
