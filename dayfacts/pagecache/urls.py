"""The trivial view bench/ measures, routed only with DAYFACTS_BENCH_VIEWS (never in production)."""

from django.conf import settings
from django.urls import path

from . import views

app_name = "pagecache"
urlpatterns = []
if settings.DAYFACTS_BENCH_VIEWS:
    urlpatterns.append(path("bench/trivial/", views.trivial, name="trivial"))
