"""The site's URLs: each app owns its own, and the day pages come last.

The day pages' converters reject anything that is not a real calendar day, so the
catch-all `/<month>/<day>/` patterns never shadow the other apps' prefixes.
"""

from django.contrib import admin
from django.urls import include, path, register_converter

from dayfacts.days.converters import MonthConverter, MonthDayConverter, YearConverter
from dayfacts.facts import admin as facts_admin

register_converter(MonthDayConverter, "monthday")
register_converter(MonthConverter, "month")
register_converter(YearConverter, "year")

admin.site.site_header = "dayfacts editors"
admin.site.site_title = "dayfacts"

urlpatterns = [
    # Before the admin's own URLs, whose catch-all would take it; admin_view() asks for a
    # signed-in staff user as the admin's pages do.
    path("admin/calendar/", admin.site.admin_view(facts_admin.calendar), name="editors_calendar"),
    path("admin/", admin.site.urls),
    path("", include("dayfacts.ops.urls")),
    path("comments/", include("dayfacts.comments.urls")),
    path("newsletter/", include("dayfacts.newsletter.urls")),
    path("api/", include("dayfacts.api.urls")),
    path("search/", include("dayfacts.search.urls")),
    path("play/", include("dayfacts.play.urls")),
    path("", include("dayfacts.syndication.urls")),
    path("", include("dayfacts.cards.urls")),
    path("", include("dayfacts.pagecache.urls")),
    path("", include("dayfacts.facts.urls")),
]

handler404 = "dayfacts.facts.views.page_not_found"
handler500 = "dayfacts.facts.views.server_error"
