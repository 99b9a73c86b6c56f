"""schema.org descriptions of pages, for search engines and link previews (JSON-LD).

A fact's page is an Article about what the fact describes: an Event (events, holidays) or a
Person (births and deaths). A day's page is a WebPage whose main entity is the list of facts
it shows. Pages carry no modification time: `updated` is the database row's, which an
export and re-import changes while the page stays the same (the sitemap gives it instead).
"""

from django.conf import settings

from dayfacts.facts.models import Kind

CONTEXT = "https://schema.org"


def iso_date(fact):
    """The fact's date as ISO 8601, or None: no year, or a year BC (ISO counts those apart)."""
    if fact.year is None or fact.year < 1:
        return None
    return f"{fact.year:04d}-{fact.month:02d}-{fact.day:02d}"


def person_name(fact):
    """The person a birth or death names: lists write 'Name, what they were'."""
    return fact.title.split(",")[0].strip()


def subject(fact):
    """What a fact is about, as a schema.org Event or Person."""
    date = iso_date(fact)
    if fact.kind in (Kind.BIRTH, Kind.DEATH):
        thing = {"@type": "Person", "name": person_name(fact),
                 "description": fact.summary or fact.title}
        if date:
            thing["birthDate" if fact.kind == Kind.BIRTH else "deathDate"] = date
        return thing
    thing = {"@type": "Event", "name": fact.title}
    if fact.summary:
        thing["description"] = fact.summary
    if fact.kind == Kind.HOLIDAY:
        thing["eventSchedule"] = {"@type": "Schedule", "repeatFrequency": "P1Y",
                                  "byMonth": fact.month, "byMonthDay": fact.day}
    elif date:
        thing["startDate"] = date
    return thing


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL + "/"}


def fact_page(fact):
    """An Article for a fact's own page."""
    url = settings.SITE_URL + fact.get_absolute_url()
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": fact.title[:110],
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": fact.publish_at.isoformat(),
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(),
        "about": subject(fact),
    }
    if fact.summary:
        data["description"] = fact.summary
    topics = [topic.name for topic in fact.topics.all()]
    if topics:
        data["keywords"] = topics
    if fact.source_url:
        data["isBasedOn"] = fact.source_url
    if fact.licence:
        data["license"] = fact.licence
    if fact.attribution:
        data["creditText"] = fact.attribution
    return data


def day_page(day, facts):
    """A WebPage for a calendar day, listing the facts it shows."""
    url = settings.SITE_URL + f"/{day.path}/"
    return {
        "@context": CONTEXT,
        "@type": "WebPage",
        "name": f"{day.long_name} in history",
        "url": url,
        "publisher": publisher(),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(facts),
            "itemListElement": [
                {"@type": "ListItem", "position": n, "item": subject(fact),
                 "url": settings.SITE_URL + fact.get_absolute_url()}
                for n, fact in enumerate(facts, start=1)
            ],
        },
    }
