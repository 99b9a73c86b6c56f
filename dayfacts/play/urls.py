from django.urls import path

from . import views

app_name = "play"
urlpatterns = [
    path("", views.today, name="today"),
    path("<monthday:day>/", views.day, name="day"),
    path("<monthday:day>/answer/", views.answer, name="answer"),
]
