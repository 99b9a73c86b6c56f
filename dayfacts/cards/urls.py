from django.urls import path

from . import views

app_name = "cards"
urlpatterns = [
    path("<monthday:day>/card.png", views.day_card, name="day"),
    path("facts/<slug:slug>/card.png", views.fact_card, name="fact"),
]
