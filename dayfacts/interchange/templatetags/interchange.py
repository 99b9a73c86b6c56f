"""Credits for imported entries in lists, where each line is too short to carry its own."""

from django import template

register = template.Library()


@register.inclusion_tag("interchange/credits.html")
def credits(*fact_lists):
    """Name the sources, attributions and licences of the facts in the given lists, once each.

    Wikipedia's text is CC BY-SA and must be credited wherever it is shown; a day's lists
    show hundreds of such lines, so the page credits each source once below them.
    """
    seen = {
        (fact.source_name, fact.attribution, fact.licence)
        for facts in fact_lists for fact in facts or () if fact.attribution or fact.licence
    }
    return {"sources": [
        {"name": name, "attribution": attribution, "licence": licence}
        for name, attribution, licence in sorted(seen)
    ]}
