from django.urls import path

from . import feeds, views

app_name = "comments"
urlpatterns = [
    path("post/<slug:slug>/", views.post, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("terms/", views.terms, name="terms"),
    path("feed/", feeds.LatestComments(), name="feed"),
    path("feed/<slug:slug>/", feeds.FactComments(), name="fact_feed"),
]
