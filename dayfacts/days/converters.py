"""URL converters so that a bad day or year in a URL is a 404 before any view runs."""

from .monthday import MonthDay
from .years import parse_year_slug, year_slug


class MonthDayConverter:
    """'march/20' <-> MonthDay(3, 20); 'february/30' and 'march/020' do not match."""

    regex = r"[a-z]+/[0-9]{1,2}"

    def to_python(self, value):
        month, day = value.split("/")
        return MonthDay.from_slug(month, day)

    def to_url(self, value):
        return value.path


class MonthConverter:
    """'march' <-> 3."""

    regex = r"[a-z]+"

    def to_python(self, value):
        return MonthDay.from_slug(value, "1").month

    def to_url(self, value):
        return MonthDay(value, 1).month_slug


class YearConverter:
    """'1952' <-> 1952, '44-bc' <-> -44; '0', '01' and years past LAST_YEAR do not match."""

    regex = r"[0-9]{1,5}(?:-bc)?"

    def to_python(self, value):
        return parse_year_slug(value)

    def to_url(self, value):
        return year_slug(value)
