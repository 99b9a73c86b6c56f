"""Embeds: a small page of a day that any site may frame, and /embed/, which shows how.

The rest of the site refuses to be framed (`frame-ancestors 'none'` and X-Frame-Options,
in settings). These pages alone allow it: they hold no form and nothing of any reader's,
so a frame around them can trick no click into changing anything. Their links open a new
tab, since the pages they lead to refuse the frame.
"""

from csp.decorators import csp_replace
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt

from dayfacts.days import MonthDay, days_shown_on

from .models import Fact, Kind

# Entries an embed lists under the day's headline, taken from these kinds in this order.
ENTRIES = 3
KINDS = [Kind.EVENT, Kind.BIRTH, Kind.DEATH]


def framable(view):
    """Let any site frame the answers of `view`."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


def embed_context(days):
    """The first day's headline and its most notable few other entries, by the day page's rules."""
    headline = Fact.objects.headline(days[0])
    top = Fact.objects.top_of_each_kind(days, KINDS, ENTRIES,
                                        leave_out=headline.pk if headline else None)
    entries = [fact for kind in KINDS for fact in top[kind]][:ENTRIES]
    return {"day": days[0], "headline": headline, "entries": entries,
            "credited": [headline, *entries] if headline else entries}


@framable
def today(request):
    """Today, in the site's time zone."""
    return render(request, "facts/embed.html", embed_context(days_shown_on(timezone.localdate())))


@framable
def day(request, day):
    return render(request, "facts/embed.html", embed_context([day]))


def snippet(request):
    """How to show a day on another site: the snippet to copy, and what it shows."""
    return render(request, "facts/embed_snippet.html", {"day": MonthDay.today()})
