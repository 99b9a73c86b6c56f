from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def newsletter_hours():
    """The delivery hour choices as (value, label) pairs, the default labelled first."""
    default = settings.NEWSLETTER_DEFAULT_HOUR
    return [("", f"Default ({default:02d}:00)")] + [(h, f"{h:02d}:00") for h in range(24)]
