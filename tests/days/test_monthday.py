import datetime as dt

import pytest

from dayfacts.days import MonthDay, days_shown_on, format_year, parse_year
from dayfacts.days.years import parse_year_slug, year_slug


@pytest.mark.parametrize(
    "text",
    ["march/20", "March 20", "mar 20", "20 March", "20th March", "03-20", "3/20", "03.20",
     "2024-03-20", "March 20th"],
)
def test_parse_reads_the_common_spellings(text):
    assert MonthDay.parse(text) == MonthDay(3, 20)


def test_parse_a_date():
    assert MonthDay.parse(dt.date(1952, 3, 20)) == MonthDay(3, 20)


@pytest.mark.parametrize(
    "text", ["02-30", "february/30", "13-01", "smarch/1", "00-10", "03-00", "", "march", "3",
             "march/20/1", "x" * 100]
)
def test_parse_refuses_days_that_do_not_exist(text):
    with pytest.raises(ValueError):
        MonthDay.parse(text)


def test_names_and_ordinals():
    day = MonthDay(3, 20)
    assert day.name == "March 20"
    assert day.ordinal == "20th"
    assert day.long_name == "March 20th"
    assert day.numeric == "03-20"
    assert day.path == "march/20"
    assert [MonthDay(1, n).ordinal for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


def test_there_are_366_days_in_order():
    days = MonthDay.all()
    assert len(days) == 366
    assert days[0] == MonthDay(1, 1) and days[-1] == MonthDay(12, 31)
    assert MonthDay(2, 29) in days
    assert days == sorted(days)


def test_neighbours_wrap_the_year_and_keep_feb_29():
    assert MonthDay(12, 31).next == MonthDay(1, 1)
    assert MonthDay(1, 1).previous == MonthDay(12, 31)
    assert MonthDay(2, 28).next == MonthDay(2, 29)
    assert MonthDay(2, 29).next == MonthDay(3, 1)
    assert MonthDay(3, 1).previous == MonthDay(2, 29)
    day = MonthDay(1, 1)
    for _ in range(366):
        day = day.next
    assert day == MonthDay(1, 1)


def test_feb_29_is_a_day_of_its_own():
    leap_day = MonthDay(2, 29)
    assert leap_day.is_leap_day
    assert leap_day.in_year(2024) == dt.date(2024, 2, 29)
    assert leap_day.in_year(2023) is None


def test_feb_28_shows_feb_29_in_common_years_only():
    assert days_shown_on(dt.date(2023, 2, 28)) == [MonthDay(2, 28), MonthDay(2, 29)]
    assert days_shown_on(dt.date(2024, 2, 28)) == [MonthDay(2, 28)]
    assert days_shown_on(dt.date(2024, 2, 29)) == [MonthDay(2, 29)]
    assert days_shown_on(dt.date(2100, 2, 28)) == [MonthDay(2, 28), MonthDay(2, 29)]


def test_years_are_written_for_people():
    assert format_year(1952) == "1952"
    assert format_year(-44) == "44 BC"
    assert format_year(None) == ""
    with pytest.raises(ValueError):
        format_year(0)


@pytest.mark.parametrize(
    ("text", "year"),
    [("1952", 1952), ("44 BC", -44), ("44BC", -44), ("27 BCE", -27), ("4 AD", 4), ("AD 4", 4),
     ("46\xa0BC", -46), ("563 B.C.", -563)],
)
def test_parse_year(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["0", "0 BC", "year", "1425 (or 1426)", ""])
def test_parse_year_refuses_what_is_not_one_year(text):
    with pytest.raises(ValueError):
        parse_year(text)


def test_year_slugs_round_trip_and_refuse_oddities():
    for year in (1952, -44, 1, -1):
        assert parse_year_slug(year_slug(year)) == year
    for slug in ("0", "01", "0-bc", "44bc", "-44"):
        with pytest.raises(ValueError):
            parse_year_slug(slug)
