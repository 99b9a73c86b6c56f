from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dayfacts.search"
    label = "search"
