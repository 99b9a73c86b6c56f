"""Arbitrary input never crashes the calendar-day parser or any route."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dayfacts.days import MonthDay
from dayfacts.days.years import format_year, parse_year, parse_year_slug, year_slug

# Text of every kind: any code point (null bytes, controls, surrogates excluded by
# Python's str encoding only where they cannot exist), short and long.
any_text = st.text(max_size=60) | st.text(min_size=200, max_size=3000)
days = st.sampled_from(MonthDay.all())
years = st.integers(min_value=-9999, max_value=9999).filter(lambda y: y != 0)


@given(any_text)
@example("february/30")
@example("2023-02-29")
@example("\x00march 20")
@example("٣/٢٠")
def test_the_day_parser_answers_a_day_or_a_clear_value_error(text):
    try:
        day = MonthDay.parse(text)
    except ValueError as error:
        assert str(error)
    else:
        assert isinstance(day, MonthDay)
        assert MonthDay.parse(day.numeric) == day


@given(days)
def test_every_written_form_of_a_day_reads_back(day):
    for text in (day.name, day.long_name, day.numeric, f"{day.day} {day.month_name}",
                 f"{day.month}/{day.day}", f"2024-{day.numeric}", day.name.upper()):
        assert MonthDay.parse(text) == day
    assert MonthDay.from_slug(day.month_slug, str(day.day)) == day


@given(st.text(max_size=20), st.text(max_size=20))
def test_url_slugs_of_a_day_read_back_or_fail_clearly(month, day):
    try:
        value = MonthDay.from_slug(month, day)
    except ValueError:
        return
    assert value.path == f"{month}/{day}"


@given(years)
def test_years_read_back_from_their_written_and_url_forms(year):
    assert parse_year(format_year(year)) == year
    assert parse_year_slug(year_slug(year)) == year


@given(any_text)
def test_the_year_parsers_answer_a_year_or_a_clear_value_error(text):
    for parse in (parse_year, parse_year_slug):
        try:
            year = parse(text)
        except ValueError as error:
            assert str(error)
        else:
            assert year != 0


def routes(resolver=None, prefix=""):
    """List every URL pattern of the site as a route string, converters left in."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(routes(pattern, text))
        elif isinstance(pattern, URLPattern):
            found.append(text)
    return found


CONVERTER = re.compile(r"<(?:[^>:]+:)?[^>]+>")
# Segments shaped like real ones, so the fuzzing also reaches the views behind the converters.
plausible = st.sampled_from(
    ["march", "february", "20", "29", "30", "0", "44-bc", "1952", "events", "births",
     "ceres-is-sighted", "science", "1", "99999999999999999999", "-1", "..", "%00", "a" * 300]
)
segment = plausible | st.text(min_size=1, max_size=40)
# Answers a reader may get for a path that is wrong, but never a server error.
ACCEPTABLE = {200, 301, 302, 400, 403, 404, 405, 410, 429}


def fill(route, values):
    """Put the generated values in a route's converters, URL-quoted as a browser would."""
    values = iter(values)
    return "/" + CONVERTER.sub(lambda match: quote(next(values), safe=""), route)


@pytest.mark.django_db
# The admin is Django's own and behind a sign-in; every other route is a reader's.
@pytest.mark.parametrize("route", sorted({r for r in routes() if not r.startswith("admin/")}),
                         ids=str)
def test_no_route_answers_a_server_error(client, almanac, route):
    holes = len(CONVERTER.findall(route))
    if route.startswith("^") or not holes:
        # Plain routes: one request each (with a junk query string) is the whole test.
        path = "/" + route.lstrip("^").rstrip("$")
        if "(" in path or "\\" in path:
            pytest.skip(f"regular-expression route {route}")
        response = client.get(path, {"page": "x\x00", "q": "\u202e" * 50})
        assert response.status_code in ACCEPTABLE, path
        return

    @given(st.lists(segment, min_size=holes, max_size=holes), st.text(max_size=30))
    @hypothesis_settings(max_examples=30)
    # PostgreSQL refuses NUL in text: every route meets one, not only the lucky ones.
    @example(["\x00"] * holes, "")
    @example(["a\x00b"] * holes, "\x00")
    def check(values, query):
        response = client.get(fill(route, values), {"page": query, "q": query})
        assert response.status_code in ACCEPTABLE, fill(route, values)

    check()


@pytest.mark.django_db
@given(path=st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts)),
       trailing=st.booleans())
@example(path="api/v1/topics/\x00", trailing=False)
@example(path="facts/\x00", trailing=True)
def test_any_path_at_all_is_a_page_a_redirect_or_not_found(client, almanac, path, trailing):
    url = "/" + quote(path, safe="/") + ("/" if trailing else "")
    response = client.get(url)
    assert response.status_code in {200, 301, 302, 404}, url


@pytest.mark.parametrize("path", ["/facts/%00/", "/api/v1/topics/%00", "/%00/"])
def test_a_null_byte_in_the_path_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_a_null_byte_in_the_query_string_is_a_bad_request(client, db):
    response = client.get("/api/v1/facts", {"topic": "science\x00"})
    assert response.status_code == 400
    assert b"null character" in response.content
