"""Answers in the shape of Wikipedia's REST `feed/onthisday`, so its clients work unchanged.

The shape follows the `onthisdayResponse` and `summary` definitions of the wikifeeds service's
OpenAPI document (mediawiki-services-wikifeeds, spec.yaml); tests/api/onthisday.schema.json
restates them as a JSON Schema. A day's answer is built once and kept as bytes until a fact
changes or BUILD_SECONDS pass (scheduled facts go live without a save).
"""

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind

from .http import Problem, etag_of

# Wikipedia's type words and the kinds of fact each lists; `selected` is the featured facts
# of every kind.
KINDS = {"events": Kind.EVENT, "births": Kind.BIRTH, "deaths": Kind.DEATH,
         "holidays": Kind.HOLIDAY}
TYPES = ["selected", *KINDS]
ALL = "all"
BUILD_SECONDS = 60
GENERATION_KEY = "api:facts-generation"


def parse_type(type_):
    """Check a type word; an unknown one is a 404, as a missing resource."""
    if type_ != ALL and type_ not in TYPES:
        raise Problem(404, f"Unknown type {type_!r}; use one of: all, {', '.join(TYPES)}.")
    return type_


def parse_day(mm, dd):
    """Read two-digit MM and DD into a MonthDay; anything else, 02/30 too, is a 400."""
    if not (len(mm) == 2 and mm.isdigit() and len(dd) == 2 and dd.isdigit()):
        raise Problem(400, "Month and day must be two digits each, as in /03/20.")
    try:
        return MonthDay(int(mm), int(dd))
    except ValueError as error:
        raise Problem(400, str(error)) from None


def facts_changed(**kwargs):
    """Signal receiver: make every built answer stale (the next request rebuilds it)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


@dataclass(frozen=True)
class Built:
    generation: int
    built_at: float
    content: bytes
    etag: str
    last_modified: object


# One per process: the answers are large, so they stay here as bytes rather than being
# copied out of the shared cache on every request; the shared cache only holds the counter.
# Least recently used first; MAX_BUILT bounds the memory (a Wikipedia-sized day is ~200 KB).
_built = OrderedDict()
_built_lock = threading.Lock()
MAX_BUILT = 64


def answer(type_, day):
    """Return the prepared answer (bytes and last change) for a type and a day."""
    generation = cache.get(GENERATION_KEY, 0)
    key = (type_, day)
    built = _built.get(key)
    if (built is None or built.generation != generation
            or time.monotonic() - built.built_at > BUILD_SECONDS):
        content, last_modified = build(type_, day)
        built = Built(generation, time.monotonic(), content, etag_of(content), last_modified)
        with _built_lock:
            _built[key] = built
            while len(_built) > MAX_BUILT:
                _built.popitem(last=False)
    else:
        with _built_lock:
            if key in _built:
                _built.move_to_end(key)
    return built


def build(type_, day):
    """Build the JSON bytes for one type (or all) on one day, and the newest change in it."""
    names = TYPES if type_ == ALL else [type_]
    kinds = list(KINDS) if "selected" in names else names
    # One query per kind: each is answered from the (month, day, kind) index, where a query
    # for the whole day lets SQLite pick the status index and read every fact there is.
    on_day = Fact.objects.published().on(day).prefetch_related("topics")
    lists = {
        name: list(on_day.of_kind(KINDS[name]).order_by("title") if name == "holidays"
                   else on_day.of_kind(KINDS[name]).newest_first())
        for name in kinds
    }
    if "selected" in names:
        featured = [fact for name in kinds for fact in lists[name] if fact.featured]
        # The order of newest_first(): latest year first, undated last, then newest entry.
        lists["selected"] = sorted(featured, key=lambda f: (f.year is None, -(f.year or 0),
                                                            -f.pk))
    links = Links()
    body = {name: [item(fact, links) for fact in lists[name]] for name in names}
    shown = [fact for name in names for fact in lists[name]]
    last_modified = max((fact.updated for fact in shown), default=None)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return content, last_modified


def item(fact, links):
    """One entry: its text, its year (none for holidays), and its article if it has one."""
    entry = {"text": fact.summary or fact.title}
    if fact.year is not None and fact.kind != "holiday":
        entry["year"] = fact.year
    entry["pages"] = [page_summary(fact, links)] if fact.body else []
    return entry


class Links:
    """The site's addresses for a fact's page, its revision history and its edit form."""

    def __init__(self):
        self.site = settings.SITE_URL
        # Reverse once with a placeholder: a day holds hundreds of facts.
        self.page = reverse("facts:fact", kwargs={"slug": "SLUG"})
        self.edit = reverse("admin:facts_fact_change", args=[12345])
        self.history = reverse("admin:facts_fact_history", args=[12345])

    def for_fact(self, fact):
        pk = str(fact.pk)
        urls = {
            "page": self.site + self.page.replace("SLUG", fact.slug),
            "revisions": self.site + self.history.replace("12345", pk),
            "edit": self.site + self.edit.replace("12345", pk),
        }
        return {"desktop": urls, "mobile": dict(urls)}


def page_summary(fact, links):
    """A page summary, as Wikipedia's summary schema requires, of a fact that has an article."""
    display = escape(fact.title)
    extract = fact.summary or Truncator(strip_tags(fact.body_html)).words(60)
    summary = {
        "type": "standard",
        "title": fact.slug,
        "displaytitle": display,
        "titles": {"canonical": fact.slug, "normalized": fact.slug, "display": display},
        "pageid": fact.pk,
        "lang": settings.LANGUAGE_CODE.split("-")[0],
        "dir": "ltr",
        "revision": str(int(fact.updated.timestamp())),
        "timestamp": fact.updated.isoformat().replace("+00:00", "Z"),
        "content_urls": links.for_fact(fact),
        "extract": extract,
        "extract_html": f"<p>{escape(extract)}</p>",
    }
    topics = [topic.name for topic in fact.topics.all()]
    if topics:
        summary["description"] = ", ".join(topics)
    return summary
