"""Years as integers: BC years are negative and there is no year 0."""

import re

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
    if number == 0:
        raise ValueError("There is no year 0.")
    if era and era.upper().startswith("B"):
        return -number
    return number


def year_slug(year: int) -> str:
    """The URL form: 1952 -> '1952', -44 -> '44-bc'."""
    return f"{-year}-bc" if year < 0 else str(year)


def parse_year_slug(slug: str) -> int:
    """Read the URL form back; raise ValueError for anything else ('0', '01', '44BC')."""
    number, bc = (slug[:-3], True) if slug.endswith("-bc") else (slug, False)
    if not number.isdigit() or str(int(number)) != number or int(number) == 0:
        raise ValueError(f"Not a year: {slug!r}")
    return -int(number) if bc else int(number)
