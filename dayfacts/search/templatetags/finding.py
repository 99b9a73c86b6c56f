"""Template tags for finding things on the day page: the timeline and round anniversaries."""

from django import template

from .. import anniversaries, timeline

register = template.Library()


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
