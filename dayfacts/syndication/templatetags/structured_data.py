import json

from django import template
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

# What Django's json_script filter escapes, so that no title can end or bend the script
# element it is written in (an end tag, a comment's start): JSON reads these escapes back as
# the same characters. json_script itself cannot write the element here: it always types it
# application/json, and search engines read structured data only from application/ld+json.
# Three replaces rather than json_script's str.translate, which looks every character up in
# its table when a replacement is longer than one character; a day page's block holds
# thousands.
_SCRIPT_SAFE = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter(is_safe=True)
def script_json(value):
    """Write `value` as JSON to go inside a script element, as json_script does."""
    text = json.dumps(value, ensure_ascii=False)
    for character, escaped in _SCRIPT_SAFE:
        text = text.replace(character, escaped)
    return mark_safe(text)


@register.simple_tag
def fact_structured_data(fact):
    """The schema.org description of a fact's page."""
    return structured_data.fact_page(fact)


@register.simple_tag
def day_structured_data(day, headline=None, *lists):
    """The schema.org description of a day's page: its headline, then the facts of each list."""
    facts = ([headline] if headline else []) + [fact for facts in lists for fact in facts]
    return structured_data.day_page(day, facts)
