"""Every route, its path parameters and known query parameters at their extremes: never a 5xx.

Huge, negative, zero, empty, unicode and junk values reach each converter and each view
behind it (with a few real facts in the database), so a value a converter or a schema
lets through but the database, reverse() or a paginator cannot take shows up as a 500.
"""

import itertools
import re
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import example, given
from hypothesis import strategies as st

from dayfacts.days import MonthDay
from dayfacts.days.converters import MonthConverter, MonthDayConverter, YearConverter

HUGE = "9" * 30
numbers = st.sampled_from([
    "0", "-0", "1", "-1", "00", "01", "99999", "100000", "99999-bc", "100000-bc", "-99999",
    "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
    "18446744073709551616", "99999999999999999999999", HUGE, "-" + HUGE, HUGE + "-bc",
    "1e309", "1.5", "nan", "inf", "-inf", "0x10", "١٢", "²",
]) | st.integers(min_value=-(10**40), max_value=10**40).map(str)
EDGES = ["0", "-1", "99999", "99999-bc", "100000", HUGE, "-" + HUGE, "", "2147483648",
         "march/99999"]
# Any text but NUL (the resilience middleware turns NUL away before routing) and surrogates
# (which cannot be URL-encoded).
junk = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
               max_size=40)
words = st.sampled_from([
    "", "march", "february", "all", "events", "births", "selected", "holidays", "science",
    "ceres-is-sighted", "..", "a" * 300, "Ünïcödé", "😀", "%", "-", "--", "-bc",
])
value = numbers | junk | words
month_words = st.sampled_from([MonthDay(m, 1).month_slug for m in range(1, 13)] + ["smarch"])
# Values shaped to pass each of the site's converters' regexes, so the views behind them run.
SHAPED = {
    MonthDayConverter: st.tuples(month_words, numbers | words).map("/".join),
    MonthConverter: month_words | words,
    YearConverter: numbers,
}
QUERY_NAMES = ["page", "cpage", "replytocom", "q", "kind", "topic", "century", "limit", "cursor",
               "fields", "year_from", "year_to", "date", "featured", "today", "p", "section"]
query = st.dictionaries(st.sampled_from(QUERY_NAMES), value, max_size=5)
# Answers a reader may get for a request that is wrong, but never a server error.
ACCEPTABLE = {200, 301, 302, 400, 403, 404, 405, 410, 429}
PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<(\w+)>[^)]*\)")


def routes(resolver=None, prefix="", converters=None):
    """List every route of the site as (route text, {parameter: converter})."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(routes(pattern, text, known))
        elif isinstance(pattern, URLPattern):
            found.append((text, known))
    return found


# The admin is Django's own and behind a sign-in; every other route is a reader's.
ROUTES = {text: converters for text, converters in routes() if not text.startswith("admin/")}


def fill(route, values):
    """Put the values in a route's parameters, URL-quoted as a browser would."""
    path = route.replace("^", "").replace("$", "")
    path = PARAMETER.sub(lambda match: quote(values[match.group(1) or match.group(2)], safe="/"),
                         path)
    return "/" + path


def parameters(route, converters):
    """A strategy for a route's path parameters: shaped for the site's converters, or any."""
    return st.fixed_dictionaries({
        name: SHAPED.get(type(converters.get(name)), value) for name in names_in(route)
    })


def names_in(route):
    return [a or b for a, b in PARAMETER.findall(route)]


@pytest.fixture(autouse=True)
def no_requests_counted_yet():
    """Start each test with no requests counted against the API's rate limit."""
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ROUTES), ids=str)
def test_no_route_answers_a_server_error_at_its_extremes(client, almanac, route):
    names = names_in(route)

    @given(parameters(route, ROUTES[route]), query)
    def check(values, params):
        url = fill(route, values)
        response = client.get(url + ("?" + urlencode(params) if params else ""))
        assert response.status_code in ACCEPTABLE, (url, params, response.status_code)

    # The edges always, not only when chance picks them: every parameter at each edge, then
    # each query parameter alone beside a search (one refused parameter would hide what
    # another does).
    for edge in EDGES:
        check = example({name: edge for name in names}, {})(check)
        check = example({name: edge for name in names}, dict.fromkeys(QUERY_NAMES, edge))(check)
    for name, edge in itertools.product(QUERY_NAMES, ("-" + HUGE, HUGE)):
        check = example({name: "1" for name in names}, {"q": "eclipse", name: edge})(check)
    check()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/years/99999/", "/years/10000/", "/api/v1/years/99999", "/api/v1/years/10000",
    f"/api/v1/search?q=treaty&century={HUGE}", f"/api/v1/search?q=treaty&century=-{HUGE}",
    f"/api/v1/facts?year_from={HUGE}", f"/api/v1/facts?year_to=-{HUGE}",
])
def test_out_of_range_numbers_are_a_client_error(client, almanac, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


@pytest.mark.django_db
def test_the_first_and_last_years_are_pages_that_link_no_further(client, almanac):
    last = client.get("/years/9999/")
    assert last.status_code == 200
    assert b'href="/years/9998/"' in last.content and b"/years/10000/" not in last.content
    first = client.get("/years/99999-bc/")
    assert first.status_code == 200
    assert b'href="/years/99998-bc/"' in first.content and b"100000-bc" not in first.content


@pytest.mark.django_db
@pytest.mark.parametrize("century", [HUGE, "-" + HUGE, "101", "-1001"])
def test_a_century_out_of_range_is_a_problem_400_naming_the_century(client, almanac, century):
    response = client.get("/api/v1/search", {"q": "eclipse", "century": century})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "century" in response.json()["detail"]
