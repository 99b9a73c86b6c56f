from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "dayfacts.facts"
    label = "facts"
    verbose_name = "Facts"
