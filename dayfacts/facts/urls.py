from django.urls import path

from . import embeds, views

app_name = "facts"
urlpatterns = [
    path("", views.today, name="today"),
    path("facts/<slug:slug>/", views.FactDetail.as_view(), name="fact"),
    path("topics/", views.TopicList.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetail.as_view(), name="topic"),
    path("years/<year:year>/", views.YearDetail.as_view(), name="year"),
    path("embed/", embeds.snippet, name="embed"),
    path("embed/today/", embeds.today, name="embed_today"),
    path("embed/<monthday:day>/", embeds.day, name="embed_day"),
    path("<month:month>/", views.month, name="month"),
    path("<monthday:day>/", views.day, name="day"),
    path("<monthday:day>/<slug:kind>/", views.day_list, name="day_list"),
]
