"""`MonthDay`: one of the 366 days of the calendar year, Feb 29 included."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): number for name, number in list(_MONTHS.items())})
# Day counts in a leap year: every calendar day exists in some year.
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
_NAMED = re.compile(r"^\s*([A-Za-z]+)\.?\s*[-/ ]\s*(\d{1,2})(?:st|nd|rd|th)?\s*$")
_NAMED_REVERSED = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s*[-/ ]\s*([A-Za-z]+)\.?\s*$")
_ISO_DATE = re.compile(r"^\s*-?\d{1,6}-(\d{2})-(\d{2})\s*$")


def ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


@dataclass(frozen=True, order=True, slots=True)
class MonthDay:
    """A day of the calendar year, such as March 20, independent of any year."""

    month: int
    day: int

    def __post_init__(self):
        if not isinstance(self.month, int) or not isinstance(self.day, int):
            raise ValueError("month and day must be integers")
        if not 1 <= self.month <= 12:
            raise ValueError(f"There is no month {self.month}.")
        if not 1 <= self.day <= DAYS_IN_MONTH[self.month - 1]:
            raise ValueError(f"{MONTH_NAMES[self.month - 1]} has no day {self.day}.")

    # Building ------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Read 'march/20', 'Mar 20', '20 March', '03-20', '3/20' or '2024-03-20'."""
        if isinstance(text, dt.date):
            return cls.from_date(text)
        if not isinstance(text, str) or len(text) > 40:
            raise ValueError(f"Not a calendar day: {text!r}")
        for pattern, month_group, day_group in (
            (_ISO_DATE, 1, 2),
            (_NUMERIC, 1, 2),
            (_NAMED, 1, 2),
            (_NAMED_REVERSED, 2, 1),
        ):
            match = pattern.match(text)
            if match:
                month_text, day_text = match.group(month_group), match.group(day_group)
                month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
                if month is None:
                    break
                return cls(month, int(day_text))
        raise ValueError(f"Not a calendar day: {text!r}")

    @classmethod
    def from_date(cls, date: dt.date) -> MonthDay:
        return cls(date.month, date.day)

    @classmethod
    def from_slug(cls, month_name: str, day: str) -> MonthDay:
        """Read the URL form: a full lower-case month name and a day without leading zero."""
        month = _MONTHS.get(month_name) if month_name in MONTH_SLUGS else None
        if month is None or not day.isdigit() or str(int(day)) != day:
            raise ValueError(f"Not a calendar day: {month_name}/{day}")
        return cls(month, int(day))

    @classmethod
    def all(cls) -> list[MonthDay]:
        """All 366 days, January 1 first."""
        return list(_ALL_DAYS)

    @classmethod
    def in_month(cls, month: int) -> list[MonthDay]:
        return [cls(month, day) for day in range(1, DAYS_IN_MONTH[month - 1] + 1)]

    @classmethod
    def today(cls, tz=None) -> MonthDay:
        """The calendar day it is now in the site's time zone (or `tz`)."""
        from django.utils import timezone

        return cls.from_date(timezone.localdate(timezone=tz))

    # Words ----------------------------------------------------------------------------

    @property
    def month_name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def month_slug(self) -> str:
        return self.month_name.lower()

    @property
    def name(self) -> str:
        """'March 20'."""
        return f"{self.month_name} {self.day}"

    @property
    def ordinal(self) -> str:
        """'20th'."""
        return f"{self.day}{ordinal_suffix(self.day)}"

    @property
    def long_name(self) -> str:
        """'March 20th', as in page headings."""
        return f"{self.month_name} {self.ordinal}"

    @property
    def numeric(self) -> str:
        """'03-20'."""
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def path(self) -> str:
        """'march/20', the URL form."""
        return f"{self.month_slug}/{self.day}"

    def __str__(self) -> str:
        return self.name

    # Neighbours -----------------------------------------------------------------------

    @property
    def index(self) -> int:
        """Position among the 366 days, 0 for January 1."""
        return _MONTH_OFFSETS[self.month - 1] + self.day - 1

    @property
    def previous(self) -> MonthDay:
        """The day before, wrapping January 1 to December 31 (and Mar 1 to Feb 29)."""
        return _ALL_DAYS[self.index - 1]

    @property
    def next(self) -> MonthDay:
        """The day after, wrapping December 31 to January 1 (and Feb 28 to Feb 29)."""
        return _ALL_DAYS[(self.index + 1) % len(_ALL_DAYS)]

    @property
    def is_leap_day(self) -> bool:
        return (self.month, self.day) == (2, 29)

    def in_year(self, year: int) -> dt.date | None:
        """The date of this day in `year`, or None for Feb 29 in a common year."""
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


_MONTH_OFFSETS = [sum(DAYS_IN_MONTH[:m]) for m in range(12)]
MONTH_SLUGS = frozenset(name.lower() for name in MONTH_NAMES)
_ALL_DAYS = tuple(
    MonthDay(month, day) for month in range(1, 13) for day in range(1, DAYS_IN_MONTH[month - 1] + 1)
)


def days_shown_on(date: dt.date) -> list[MonthDay]:
    """The calendar days whose entries today's page shows on `date`.

    Feb 29 only comes round in leap years, so in a common year its entries are shown
    with Feb 28's: nothing in the almanac goes unseen for four years.
    """
    today = MonthDay.from_date(date)
    if today == MonthDay(2, 28) and not calendar.isleap(date.year):
        return [today, MonthDay(2, 29)]
    return [today]
