from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "dayfacts.cards"
    label = "cards"
    verbose_name = "Share cards"
