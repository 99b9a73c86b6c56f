from django.apps import AppConfig


class PlayConfig(AppConfig):
    name = "dayfacts.play"
    label = "play"
    verbose_name = "Daily game"
