import json

from django import template
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a title would end or bend the element: write the
# characters that could as JSON escapes, as Django's json_script does. Three replaces, not
# str.translate: once a block holds a character outside ASCII (a name with an accent is
# enough), translate goes a character at a time through a dict, 2 ms for 15,000
# characters where replace takes under 0.1.
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def ld_json(data):
    text = json.dumps(data, ensure_ascii=False)
    for character, escaped in _SCRIPT_SAFE:
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def fact_json_ld(fact):
    """The JSON-LD block for a fact's page."""
    return ld_json(structured_data.fact_page(fact))


@register.simple_tag
def day_json_ld(day, headline=None, *lists):
    """The JSON-LD block for a day's page: its headline, then the facts of each list."""
    facts = ([headline] if headline else []) + [fact for facts in lists for fact in facts]
    return ld_json(structured_data.day_page(day, facts))
