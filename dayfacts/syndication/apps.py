from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "dayfacts.syndication"
    label = "syndication"
