"""Answers in the shape of Wikipedia's REST `feed/onthisday`, so its clients work unchanged.

The shape follows the `onthisdayResponse` and `summary` definitions of the wikifeeds service's
OpenAPI document (mediawiki-services-wikifeeds, spec.yaml); tests/api/onthisday.schema.json
restates them as a JSON Schema. Answers are built on each request the page cache does not
answer; it keeps them until content changes (dayfacts.facts.signals.content_changed).
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind

from .http import Problem

# Wikipedia's type words and the kinds of fact each lists; `selected` is the featured facts
# of every kind.
KINDS = {"events": Kind.EVENT, "births": Kind.BIRTH, "deaths": Kind.DEATH,
         "holidays": Kind.HOLIDAY}
TYPES = ["selected", *KINDS]
ALL = "all"


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
