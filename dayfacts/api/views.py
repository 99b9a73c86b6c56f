"""The API's reading endpoints: Wikipedia's on-this-day feed, then the native /api/v1/ resources
(the writing ones are in posting.py)."""

from typing import Annotated

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router
from pydantic import WithJsonSchema

from dayfacts.comments.models import Comment
from dayfacts.days import days_shown_on, format_year
from dayfacts.days.centuries import century_of
from dayfacts.days.years import FIRST_YEAR, LAST_YEAR, check_year, parse_year_slug, year_slug
from dayfacts.facts.models import Fact, Kind, Topic
from dayfacts.search import search as find

from . import onthisday
from .http import Problem, json_response
from .schemas import (
    ERRORS,
    DayOut,
    FactDetailOut,
    FactOut,
    FactPageOut,
    KindName,
    OnThisDayOut,
    ProblemOut,
    SearchPageOut,
    TopicDetailOut,
    TopicOut,
    YearOut,
)
from .serializers import (
    DETAIL_FIELDS,
    absolute,
    day_api_url,
    decode_offset,
    encode_offset,
    fact_item,
    page_of,
    parse_fields,
    topic_item,
)

router = Router()
TWO_DIGITS = r"^[0-9]{2}$"
# A year or century outside the site's range is a 400 naming the bound, before it reaches
# the database (SQLite cannot take an integer past 64 bits).
YEAR_BOUNDS = {"ge": FIRST_YEAR, "le": LAST_YEAR}
CENTURY_BOUNDS = {"ge": century_of(FIRST_YEAR), "le": century_of(LAST_YEAR)}
# Documented as an enum, but checked by the view: an unknown type is a 404, not a 400.
TYPE_ENUM = WithJsonSchema({"type": "string", "enum": ["all", *onthisday.TYPES]})


def comment_counts(facts):
    """Approved comments per fact, for a page of facts, in one query."""
    return Comment.objects.approved().counts_by_fact(facts)


def topic_or_404(slug):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Problem(404, f"No topic {slug!r}.")
    return topic


# Wikipedia-compatible -------------------------------------------------------------------


@router.get(
    "/feed/onthisday/{type}/{mm}/{dd}", response={200: OnThisDayOut, **ERRORS},
    url_name="onthisday", tags=["Wikipedia-compatible"],
    summary="Entries of a calendar day in the shape of Wikipedia's feed/onthisday",
)
def feed_onthisday(
    request,
    type: Annotated[str, TYPE_ENUM] = Path(
        ..., description="all, selected, events, births, deaths or holidays."),
    mm: str = Path(..., description="Month, two digits (01-12).", pattern=TWO_DIGITS),
    dd: str = Path(..., description="Day of the month, two digits (01-31).", pattern=TWO_DIGITS),
):
    """Answer a day's entries keyed by type, newest first; `selected` are the featured facts."""
    type_ = onthisday.parse_type(type)
    day = onthisday.parse_day(mm, dd)
    content, last_modified = onthisday.build(type_, day)
    return json_response(content, last_modified=last_modified)


# Facts ------------------------------------------------------------------------------------


class FactFilters:
    """The filters the fact lists share."""

    def __init__(self, kind, topic, year_from, year_to):
        self.kind, self.topic, self.year_from, self.year_to = kind, topic, year_from, year_to

    def apply(self, facts):
        if self.kind:
            facts = facts.of_kind(self.kind)
        if self.topic:
            facts = facts.with_topic(topic_or_404(self.topic))
        if self.year_from is not None and self.year_to is not None and \
                self.year_from > self.year_to:
            raise Problem(400, "year_from is after year_to.")
        return facts.between_years(self.year_from, self.year_to)


@router.get("/facts", response={200: FactPageOut, **ERRORS}, url_name="facts",
            tags=["Facts"], exclude_unset=True)
def facts(
    request,
    kind: KindName | None = None,
    topic: str | None = Query(None, description="A topic's slug."),
    year_from: int | None = Query(None, description="First year, negative for BC.",
                                  **YEAR_BOUNDS),
    year_to: int | None = Query(None, description="Last year, negative for BC.", **YEAR_BOUNDS),
    date: str | None = Query(None, description="A calendar day as MM-DD.",
                             pattern=r"^[0-9]{2}-[0-9]{2}$"),
    featured: bool | None = None,
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, description="From the previous page's next_cursor."),
    fields: str | None = Query(None, description="Comma-separated item keys to keep."),
):
    """List published facts in calendar order, filtered, a page at a time."""
    selected = FactFilters(kind, topic, year_from, year_to).apply(Fact.objects.published())
    if date:
        selected = selected.on(onthisday.parse_day(*date.split("-")))
    if featured is not None:
        selected = selected.filter(featured=featured)
    return page_of(request, selected, limit=limit, cursor=cursor, fields=parse_fields(fields),
                   comment_counts_for=comment_counts)


@router.get("/facts/random", response={200: FactOut, **ERRORS}, url_name="random_fact",
            tags=["Facts"], exclude_unset=True)
def random_fact(
    request,
    kind: KindName | None = None,
    topic: str | None = Query(None, description="A topic's slug."),
    today: bool = Query(False, description="Only facts of today (the site's time zone)."),
    fields: str | None = Query(None, description="Comma-separated item keys to keep."),
):
    """Pick one published fact at random, optionally of a kind, a topic, or today."""
    names = parse_fields(fields)
    selected = FactFilters(kind, topic, None, None).apply(Fact.objects.published())
    if today:
        selected = selected.on(*days_shown_on(timezone.localdate()))
    fact = selected.random()
    if fact is None:
        raise Problem(404, "No published fact matches.")
    return fact_item(fact, comment_counts=comment_counts([fact]), fields=names)


def fact_answer(fact, fields):
    return fact_item(fact, comment_counts=comment_counts([fact]), detail=True,
                     fields=parse_fields(fields, DETAIL_FIELDS))


@router.get("/facts/{fact_id}", response={200: FactDetailOut, **ERRORS}, url_name="fact",
            tags=["Facts"], exclude_unset=True)
def fact(request, fact_id: int, fields: str | None = None):
    """One published fact by its id, with its article."""
    found = get_object_or_404(Fact.objects.published().prefetch_related("topics"), pk=fact_id)
    return fact_answer(found, fields)


@router.get("/facts/slug/{slug}", response={200: FactDetailOut, **ERRORS},
            url_name="fact_by_slug", tags=["Facts"], exclude_unset=True)
def fact_by_slug(request, slug: str, fields: str | None = None):
    """One published fact by its slug, with its article."""
    found = get_object_or_404(Fact.objects.published().prefetch_related("topics"), slug=slug)
    return fact_answer(found, fields)


# Days, topics, years -------------------------------------------------------------------


@router.get("/days/{mm}/{dd}", response={200: DayOut, **ERRORS}, url_name="day", tags=["Days"],
            exclude_unset=True)
def day(request, mm: str = Path(..., pattern=TWO_DIGITS), dd: str = Path(..., pattern=TWO_DIGITS)):
    """A calendar day: the fact it leads with, and how many facts of each kind it has."""
    the_day = onthisday.parse_day(mm, dd)
    counts = Fact.objects.day_counts([the_day])
    headline = Fact.objects.headline(the_day)
    facts_url = absolute("api:facts") + f"?date={the_day.numeric}"
    return {
        "date": the_day.numeric,
        "name": the_day.name,
        "url": absolute("facts:day", day=the_day),
        "headline": headline and fact_item(headline, comment_counts=comment_counts([headline])),
        "counts": {kind: counts.get(kind, 0) for kind in Kind.values},
        "previous": day_api_url(the_day.previous),
        "next": day_api_url(the_day.next),
        "facts_url": facts_url,
    }


def topics_with_counts():
    return Topic.objects.with_fact_counts().order_by("name")


@router.get("/topics", response={200: list[TopicOut], 429: ProblemOut}, url_name="topics",
            tags=["Topics"])
def topics(request):
    """Every topic with the number of published facts in it."""
    return [topic_item(topic) for topic in topics_with_counts()]


@router.get("/topics/{slug}", response={200: TopicDetailOut, **ERRORS}, url_name="topic",
            tags=["Topics"], exclude_unset=True)
def topic(request, slug: str, limit: int = Query(20, ge=1, le=100), cursor: str | None = None,
          fields: str | None = None):
    """A topic and a page of its published facts."""
    found = topics_with_counts().filter(slug=slug).first()
    if found is None:
        raise Problem(404, f"No topic {slug!r}.")
    facts = Fact.objects.published().with_topic(found)
    return {**topic_item(found),
            "facts": page_of(request, facts, limit=limit, cursor=cursor,
                             fields=parse_fields(fields), comment_counts_for=comment_counts)}


@router.get("/years/{year}", response={200: YearOut, **ERRORS}, url_name="year",
            tags=["Years"], exclude_unset=True)
def year(request,
         year: str = Path(..., description="1952, or 44-bc (or -44) for a year BC.",
                          pattern=r"^-?[0-9]{1,5}(-bc)?$"),
         limit: int = Query(20, ge=1, le=100), cursor: str | None = None,
         fields: str | None = None):
    """A year and a page of the published facts dated in it."""
    try:
        if year.startswith("-") and year.endswith("-bc"):
            raise ValueError(year)
        number = check_year(-int(year[1:])) if year.startswith("-") else parse_year_slug(year)
    except ValueError:
        raise Problem(400, f"Not a year: {year!r}; write 1952, 44-bc or -44, from "
                           f"{year_slug(FIRST_YEAR)} to {year_slug(LAST_YEAR)}.") from None
    facts = Fact.objects.published().in_year(number)
    return {
        "year": number,
        "name": format_year(number),
        "url": absolute("facts:year", year=number),
        "facts": page_of(request, facts, limit=limit, cursor=cursor,
                         fields=parse_fields(fields), comment_counts_for=comment_counts),
    }


# Search -------------------------------------------------------------------------------------


@router.get("/search", response={200: SearchPageOut, **ERRORS}, url_name="search",
            tags=["Search"], exclude_unset=True)
def search(
    request,
    q: str = Query(..., description="Words to find; -word excludes, \"a phrase\" in quotes.",
                   max_length=200),
    kind: KindName | None = None,
    topic: str | None = Query(None, description="A topic's slug."),
    century: int | None = Query(None, description="20 for the 1900s, -1 for the first BC.",
                                **CENTURY_BOUNDS),
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = Query(None, description="From the previous page's next_cursor."),
    fields: str | None = Query(None, description="Comma-separated item keys to keep."),
):
    """Search published facts, best match first, through the site's full-text search."""
    names = parse_fields(fields, (*FactOut.model_fields, "title_html", "snippet_html"))
    try:
        results = find(q, kind=kind, topic=topic, century=century)
    except ValueError as error:
        raise Problem(400, str(error)) from None
    start = decode_offset(cursor) if cursor else 0
    hits = results[start:start + limit]
    counts = comment_counts([hit.fact for hit in hits])
    items = []
    for hit in hits:
        item = fact_item(hit.fact, comment_counts=counts)
        item.update(title_html=str(hit.title_html), snippet_html=str(hit.snippet_html))
        items.append({name: item[name] for name in names} if names else item)
    total = results.count()
    more = start + limit < total
    next_cursor = encode_offset(start + limit) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = f"{settings.SITE_URL}{request.path}?{query.urlencode()}"
    return {"query": q, "count": total, "more": results.more, "items": items,
            "next_cursor": next_cursor,
            "next": next_url}
