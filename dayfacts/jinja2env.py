"""Jinja2 for the fragments in dayfacts/jinja2/: the lists a page repeats dozens of times
(a day's entries, its timeline, a page of search hits), which Jinja2 renders several times
faster than the Django template language. Pages stay Django templates; their template
tags render these fragments with render_fragment()."""

from django.contrib.humanize.templatetags.humanize import ordinal
from django.template.defaultfilters import pluralize
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from jinja2 import Environment


def environment(**options):
    """Build Jinja2's environment, with the two Django filters the fragments use."""
    env = Environment(**options)
    env.filters.update(ordinal=ordinal, pluralize=pluralize)
    return env


def render_fragment(template_name, context):
    """Render a fragment for a Django template to include as it is: Jinja2 has escaped it."""
    return mark_safe(get_template(template_name, using="jinja2").render(context))
