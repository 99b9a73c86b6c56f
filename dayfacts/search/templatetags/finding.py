"""Template tags for finding things: the day page's timeline and round anniversaries, and
the search page's hits."""

from django import template

from dayfacts.days import format_year
from dayfacts.days.urls import reverser
from dayfacts.facts.models import KIND_LABELS
from dayfacts.jinja2env import render_fragment

from .. import anniversaries, timeline

register = template.Library()


@register.simple_tag
def search_hits(hits):
    """The list items of a page of search hits: the marked title, a dateline with the day,
    year, kind and topics, and the marked snippet."""
    day_address, year_address = reverser("facts:day"), reverser("facts:year")
    listed = []
    for hit in hits:
        fact, day = hit.fact, hit.fact.monthday
        listed.append({
            "url": fact.get_absolute_url(),
            "title_html": hit.title_html,
            "day": day.name,
            "day_url": day_address(day=day),
            "year": format_year(fact.year) if fact.year else "",
            "year_url": year_address(year=fact.year) if fact.year else "",
            "kind": KIND_LABELS[fact.kind],
            "topics": [{"name": topic.name, "url": topic.get_absolute_url()}
                       for topic in fact.topics.all()],
            "snippet_html": hit.snippet_html,
        })
    return render_fragment("search/_hits.html", {"hits": listed})


@register.simple_tag(takes_context=True)
def day_timeline(context):
    """An SVG of the day page's entries by century, each mark a link to its fact."""
    headline = context.get("headline")
    facts = [headline, *context.get("events", []), *context.get("births", []),
             *context.get("deaths", [])]
    return render_fragment("search/timeline.html", {
        "timeline": timeline.layout(facts, headline), "day": context.get("day")})


@register.inclusion_tag("search/anniversaries.html", takes_context=True)
def round_anniversaries(context):
    """Today's round anniversaries (25, 50, 75, 100... years), on today's page only."""
    today = context.get("today")
    if not today:
        return {"facts": []}
    days = context.get("days") or [context["day"]]
    return {"facts": anniversaries.on(days, today), "today": today}
