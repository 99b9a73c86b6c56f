"""The calendar day: a month and a day with no year, and how years are written."""

from .monthday import MonthDay, days_shown_on
from .years import format_year, parse_year

__all__ = ["MonthDay", "days_shown_on", "format_year", "parse_year"]
