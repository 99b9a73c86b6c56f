from django import template

from dayfacts.days import format_year
from dayfacts.days.reversing import cached_reverse, reverser
from dayfacts.facts import anniversaries, timeline
from dayfacts.facts.models import web_link
from dayfacts.jinja2env import render_fragment

register = template.Library()
# An address stored before only web addresses were accepted is shown, never linked.
register.filter("web_link", web_link)


@register.filter
def year(value):
    """Write a year for people: -44 -> '44 BC'."""
    return format_year(value)


@register.filter
def years_ago(fact, today):
    """How many years before `today` (a date) a fact happened: Fact.years_ago() for templates."""
    return fact.years_ago(today)


@register.simple_tag
def year_url(value):
    return cached_reverse("facts:year", year=value)


@register.simple_tag
def day_url(day):
    """A calendar day's page, for lists that link many days (search hits, months, topics)."""
    return cached_reverse("facts:day", day=day)


@register.simple_tag(takes_context=True)
def entries(context, facts):
    """The list items of entries (day, topic and list pages): year, title, summary and, on
    today's page, how long ago, with round anniversaries called out."""
    today = context.get("today")
    year_address = reverser("facts:year")
    listed = []
    for fact in facts:
        year = fact.year
        ago = fact.years_ago(today) if year and today else 0
        listed.append({
            "year": format_year(year) if year else "",
            "year_url": year_address(year=year) if year else "",
            "title": fact.title,
            # Only facts with an article have a page of their own.
            "url": fact.get_absolute_url() if fact.body else "",
            "summary": fact.summary if fact.summary != fact.title else "",
            "ago": max(ago, 0),
            "round": ago > 0 and ago % anniversaries.EVERY == 0,
        })
    # Jinja2 (dayfacts/jinja2/facts/_entries.html): a day page lists some eighty entries.
    return render_fragment("facts/_entries.html", {"entries": listed})


@register.simple_tag(takes_context=True)
def day_timeline(context):
    """An SVG of the day page's entries by century, each mark a link to its fact."""
    headline = context.get("headline")
    facts = [headline, *context.get("events", []), *context.get("births", []),
             *context.get("deaths", [])]
    return render_fragment("facts/timeline.html", {
        "timeline": timeline.layout(facts, headline), "day": context.get("day")})


@register.inclusion_tag("facts/anniversaries.html", takes_context=True)
def round_anniversaries(context):
    """Today's round anniversaries (25, 50, 75, 100... years), on today's page only."""
    today = context.get("today")
    if not today:
        return {"facts": []}
    days = context.get("days") or [context["day"]]
    return {"facts": anniversaries.on(days, today), "today": today}
