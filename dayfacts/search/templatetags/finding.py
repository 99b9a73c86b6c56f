"""Template tags for the search page: its hits."""

from django import template

from dayfacts.days import format_year
from dayfacts.days.reversing import reverser
from dayfacts.facts.models import KIND_LABELS
from dayfacts.jinja2env import render_fragment

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

