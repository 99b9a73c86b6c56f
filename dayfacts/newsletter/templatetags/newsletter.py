import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from ..forms import hour_choices

register = template.Library()


@register.simple_tag
def newsletter_hour_options():
    """The delivery hour's options for the footer's sign-up form, the default chosen."""
    return _hour_options(settings.NEWSLETTER_DEFAULT_HOUR)


# Every page's footer shows the same options: written once per default hour, not per page.
@functools.lru_cache(maxsize=4)
def _hour_options(default_hour):
    return render_to_string("newsletter/_hour_options.html", {"choices": hour_choices()})
