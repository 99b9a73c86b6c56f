from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def newsletter_hour_options():
    """The delivery hour's <option> elements, the default first and chosen.

    Written here: every page's footer shows them, and the template language took about a
    millisecond a page over their 25 options.
    """
    default = settings.NEWSLETTER_DEFAULT_HOUR
    options = [f'<option value="" selected>Default ({default:02d}:00)</option>']
    options += [f'<option value="{hour}">{hour:02d}:00</option>' for hour in range(24)]
    return mark_safe("".join(options))
