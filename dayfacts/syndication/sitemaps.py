"""Sitemaps of every day, fact, topic, year and month page.

Django's sitemap views split a section into pages of `limit` URLs (50,000, the protocol's
limit: https://www.sitemaps.org/protocol.html) and the index at /sitemap.xml lists each page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Topic


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(SiteSitemap):
    """The front page and the topic index."""

    changefreq = "daily"

    def items(self):
        return ["facts:today", "facts:topics"]

    def location(self, name):
        return reverse(name)


class DaySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return MonthDay.all()

    def location(self, day):
        return reverse("facts:day", kwargs={"day": day})


class MonthSitemap(SiteSitemap):
    def items(self):
        return list(range(1, 13))

    def location(self, month):
        return reverse("facts:month", kwargs={"month": month})


class FactSitemap(SiteSitemap):
    def items(self):
        return Fact.objects.published().order_by("pk").only("slug", "updated")

    def location(self, fact):
        # Reversed once per page, not once per fact: a page holds 50,000 of them.
        if not hasattr(self, "_pattern"):
            self._pattern = reverse("facts:fact", kwargs={"slug": "SLUG"})
        return self._pattern.replace("SLUG", fact.slug)

    def lastmod(self, fact):
        return fact.updated

    def get_latest_lastmod(self):
        # One query, where the default would load every fact to compare their dates.
        return Fact.objects.published().aggregate(latest=Max("updated"))["latest"]


class TopicSitemap(SiteSitemap):
    def items(self):
        return Topic.objects.shown().order_by("slug")

    def lastmod(self, topic):
        return topic.updated


class YearSitemap(SiteSitemap):
    def items(self):
        return list(Fact.objects.published().exclude(year=None).order_by("year")
                    .values_list("year", flat=True).distinct())

    def location(self, year):
        return reverse("facts:year", kwargs={"year": year})


SITEMAPS = {
    "pages": PageSitemap,
    "days": DaySitemap,
    "months": MonthSitemap,
    "facts": FactSitemap,
    "topics": TopicSitemap,
    "years": YearSitemap,
}
