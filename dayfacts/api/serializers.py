"""Facts as API items: the full item, slimmed by `fields=`, and pages read with a cursor."""

import base64
import binascii

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from .http import Problem
from .schemas import FactDetailOut, FactOut

LIST_FIELDS = tuple(FactOut.model_fields)
DETAIL_FIELDS = tuple(FactDetailOut.model_fields)
MAX_LIMIT = 100


def parse_fields(text, allowed=LIST_FIELDS):
    """Read `fields=a,b`; None keeps every field, an unknown name is a 400."""
    if not text:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise Problem(400, f"Unknown field(s) {', '.join(unknown) or '(none)'}; "
                           f"choose from: {', '.join(allowed)}.")
    return names


def fact_item(fact, *, comment_counts, fields=None, detail=False):
    """Describe a fact as an API item, keeping only `fields` when they are given."""
    topics = [topic.slug for topic in fact.topics.all()]
    item = {
        "id": fact.pk,
        "slug": fact.slug,
        "title": fact.title,
        "summary": fact.summary,
        "kind": fact.kind,
        "year": fact.year,
        "year_display": fact.year_display,
        "month": fact.month,
        "day": fact.day,
        "date": fact.monthday.numeric,
        "featured": fact.featured,
        "notability": fact.notability,
        "topics": topics,
        "has_article": bool(fact.body),
        "comment_count": comment_counts.get(fact.pk, 0),
        "url": settings.SITE_URL + fact.get_absolute_url(),
        "api_url": settings.SITE_URL + reverse("api:fact", kwargs={"fact_id": fact.pk}),
        "updated": fact.updated.isoformat(),
    }
    if detail:
        item.update(body_html=fact.body_html, source_name=fact.source_name,
                    source_url=fact.source_url, licence=fact.licence,
                    attribution=fact.attribution)
    if fields:
        item = {name: item[name] for name in fields}
    return item


# Cursor pages ---------------------------------------------------------------------------
# Pages follow the calendar (month, day, then id): a cursor names the last item seen, so a
# page stays right while facts are added before it, which an offset would not.


def encode_cursor(fact):
    raw = f"{fact.month}.{fact.day}.{fact.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """Read a cursor back into (month, day, id); a damaged one is a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        month, day, pk = (int(part) for part in raw.split("."))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Problem(400, "The cursor is not one this API gave out.") from None
    return month, day, pk


def encode_offset(offset):
    """A cursor for ranked results, which have no key to continue after: their position."""
    return base64.urlsafe_b64encode(f"at.{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        label, offset = raw.split(".")
        if label != "at" or int(offset) < 0:
            raise ValueError(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Problem(400, "The cursor is not one this API gave out.") from None
    return int(offset)


def page_of(request, facts, *, limit, cursor, fields, comment_counts_for):
    """One page of `facts` in calendar order after `cursor`, with the next page's cursor."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(400, f"limit must be between 1 and {MAX_LIMIT}.")
    facts = facts.order_by("month", "day", "pk").prefetch_related("topics")
    if cursor:
        month, day, pk = decode_cursor(cursor)
        facts = facts.filter(Q(month__gt=month) | Q(month=month, day__gt=day)
                             | Q(month=month, day=day, pk__gt=pk))
    rows = list(facts[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    counts = comment_counts_for(rows)
    next_cursor = encode_cursor(rows[-1]) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = f"{settings.SITE_URL}{request.path}?{query.urlencode()}"
    return {
        "items": [fact_item(fact, comment_counts=counts, fields=fields) for fact in rows],
        "next_cursor": next_cursor,
        "next": next_url,
    }


def absolute(name, **kwargs):
    """The full address of the route `name`, on SITE_URL."""
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def day_api_url(day):
    """The full address of a calendar day's API answer."""
    return absolute("api:day", mm=f"{day.month:02d}", dd=f"{day.day:02d}")


def topic_item(topic):
    """A topic as the API lists it; `topic` carries fact_count (with_fact_counts())."""
    return {
        "slug": topic.slug, "name": topic.name, "description": topic.description,
        "fact_count": topic.fact_count, "url": settings.SITE_URL + topic.get_absolute_url(),
        "api_url": absolute("api:topic", slug=topic.slug),
    }
