"""Tags for a page's head that point link previews to the page's share card."""

from django import template
from django.conf import settings

from dayfacts.days.reversing import cached_reverse

from ..drawing import HEIGHT, WIDTH

register = template.Library()


def preview(address, day, fact):
    return {"url": settings.SITE_URL + address, "width": WIDTH, "height": HEIGHT,
            "day": day, "fact": fact}


@register.inclusion_tag("cards/preview_meta.html")
def day_card_meta(day, headline):
    """The Open Graph and Twitter tags of a day page's card."""
    return preview(cached_reverse("cards:day", day=day), day, headline)


@register.inclusion_tag("cards/preview_meta.html")
def fact_card_meta(fact):
    """The Open Graph and Twitter tags of a fact page's card."""
    return preview(cached_reverse("cards:fact", slug=fact.slug), fact.monthday, fact)
