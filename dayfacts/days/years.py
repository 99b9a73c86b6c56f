"""Years as integers: BC years are negative and there is no year 0."""

import re

# The years the site knows: five digits BC, as written forms allow, to AD 9999, the last
# year Python's dates (and HTML's <time>) can hold. A URL or an API parameter outside them
# names no page, rather than reaching the database or reverse() with a number they refuse.
FIRST_YEAR = -99999
LAST_YEAR = 9999

_YEAR = re.compile(
    r"^\s*(\d{1,5})\s*(BCE|BC|B\.C\.E?\.?|CE|AD|A\.D\.)?\s*$", re.IGNORECASE
)
_AD_FIRST = re.compile(r"^\s*(AD|A\.D\.)\s*(\d{1,5})\s*$", re.IGNORECASE)


def format_year(year: int | None) -> str:
    """Write a year for people: 1952 -> '1952', -44 -> '44 BC'."""
    if year is None:
        return ""
    if year == 0:
        raise ValueError("There is no year 0.")
    return f"{-year} BC" if year < 0 else str(year)


def parse_year(text: str) -> int:
    """Read '1952', '44 BC', '27 BCE', 'AD 4' or '4 AD'; BC years come back negative."""
    text = text.replace("\xa0", " ")
    match = _YEAR.match(text) or _AD_FIRST.match(text)
    if not match:
        raise ValueError(f"Not a year: {text!r}")
    groups = match.groups()
    number_text = groups[0] if groups[0].isdigit() else groups[1]
    era = groups[1] if groups[0].isdigit() else groups[0]
    number = int(number_text)
    return check_year(-number if era and era.upper().startswith("B") else number)


def check_year(year: int) -> int:
    """Return the year, or raise ValueError for year 0 or one outside FIRST_YEAR..LAST_YEAR."""
    if year == 0:
        raise ValueError("There is no year 0.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Years run from {format_year(FIRST_YEAR)} to {LAST_YEAR}, "
                         f"not {format_year(year)}.")
    return year


def years_ago(year: int, today) -> int:
    """Whole years from `year` to `today` (a date), with no year 0 between 1 BC and AD 1."""
    return today.year - year - (1 if year < 0 else 0)


def year_before(today, years: int) -> int:
    """The year `years` whole years before `today` (a date): years_ago()'s inverse."""
    year = today.year - years
    return year - 1 if year <= 0 else year


def year_slug(year: int) -> str:
    """The URL form: 1952 -> '1952', -44 -> '44-bc'."""
    return f"{-year}-bc" if year < 0 else str(year)


def parse_year_slug(slug: str) -> int:
    """Read the URL form back; raise ValueError for anything else ('0', '01', '44BC', '10000')."""
    number, bc = (slug[:-3], True) if slug.endswith("-bc") else (slug, False)
    # isascii(): str.isdigit() also takes '²' and other digits int() refuses or reads.
    if not (number.isascii() and number.isdigit()) or str(int(number)) != number \
            or int(number) == 0:
        raise ValueError(f"Not a year: {slug!r}")
    return check_year(-int(number) if bc else int(number))


def neighbours(year: int) -> tuple[int | None, int | None]:
    """The years before and after, skipping year 0; None past either end of the range."""
    before = -1 if year == 1 else year - 1
    after = 1 if year == -1 else year + 1
    return (before if before >= FIRST_YEAR else None, after if after <= LAST_YEAR else None)
