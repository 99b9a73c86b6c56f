from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dayfacts.facts.models import Topic

from . import calendars

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def featured_calendar(request):
    """/calendar.ics: every featured fact as a yearly all-day event."""
    return calendar_response(calendars.featured_calendar(), "dayfacts.ics")


@require_GET
def topic_calendar(request, slug):
    """/topics/<slug>/calendar.ics: a topic's facts as yearly all-day events."""
    topic = get_object_or_404(Topic, slug=slug)
    return calendar_response(calendars.topic_calendar(topic), f"{topic.slug}.ics")


@require_GET
def robots_txt(request):
    """/robots.txt: crawl the pages, not the forms, the search results or the API."""
    return render(request, "syndication/robots.txt", {"SITE_URL": settings.SITE_URL},
                  content_type="text/plain; charset=utf-8")
