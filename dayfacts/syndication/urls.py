from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from dayfacts.pagecache.middleware import reads_query

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "syndication"
urlpatterns = [
    path("feed/rss/", feeds.FeaturedFacts(), name="rss"),
    path("feed/atom/", feeds.FeaturedFactsAtom(), name="atom"),
    path("feed/topics/<slug:slug>/rss/", feeds.TopicFacts(), name="topic_rss"),
    path("feed/topics/<slug:slug>/atom/", feeds.TopicFactsAtom(), name="topic_atom"),
    path("calendar.ics", views.featured_calendar, name="calendar"),
    path("feed/topics/<slug:slug>/calendar.ics", views.topic_calendar, name="topic_calendar"),
    path("sitemap.xml", reads_query("p")(sitemap_views.index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "syndication:sitemap_section"},
         name="sitemap"),
    path("sitemap-<section>.xml", reads_query("p")(sitemap_views.sitemap), {"sitemaps": SITEMAPS},
         name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
