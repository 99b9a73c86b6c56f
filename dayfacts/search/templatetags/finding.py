"""Template tags for finding things: the day page's timeline and round anniversaries, and
the search page's hits."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from dayfacts.days import format_year
from dayfacts.days.urls import reverser
from dayfacts.facts.models import KIND_LABELS

from .. import anniversaries, timeline

register = template.Library()


@register.simple_tag
def search_hits(hits):
    """The list items of a page of search hits: the marked title, a dateline with the day,
    year, kind and topics, and the marked snippet.

    Written here rather than in a template, as the day page's entries are: the template
    language took 3.5 ms to write twenty hits, most of what a search page renders.
    """
    day_address, year_address = reverser("facts:day"), reverser("facts:year")
    items = []
    for hit in hits:
        fact, day = hit.fact, hit.fact.monthday
        item = [
            f'<li class="search-hit">\n  <h2 class="search-hit-title">'
            f'<a href="{escape(fact.get_absolute_url())}">{hit.title_html}</a></h2>\n'
            f'  <p class="dateline"><a href="{day_address(day=day)}">{escape(day.name)}</a>'
        ]
        if fact.year:
            item.append(f', <a href="{year_address(year=fact.year)}">{format_year(fact.year)}</a>')
        item.append(f" · {KIND_LABELS[fact.kind]}")
        for topic in fact.topics.all():
            item.append(f' · <a href="{escape(topic.get_absolute_url())}">{escape(topic.name)}</a>')
        item.append("</p>\n")
        if hit.snippet_html:
            item.append(f'  <p class="search-snippet">{hit.snippet_html}</p>\n')
        item.append("</li>\n")
        items.append("".join(item))
    return mark_safe("".join(items))


@register.inclusion_tag("search/timeline.html", takes_context=True)
def day_timeline(context):
    """An SVG of the day page's entries by century, each mark a link to its fact."""
    headline = context.get("headline")
    facts = [headline, *context.get("events", []), *context.get("births", []),
             *context.get("deaths", [])]
    return {"timeline": timeline.layout(facts, headline), "day": context.get("day")}


@register.inclusion_tag("search/anniversaries.html", takes_context=True)
def round_anniversaries(context):
    """Today's round anniversaries (25, 50, 75, 100... years), on today's page only."""
    today = context.get("today")
    if not today:
        return {"facts": []}
    days = context.get("days") or [context["day"]]
    return {"facts": anniversaries.on(days, today), "today": today}
