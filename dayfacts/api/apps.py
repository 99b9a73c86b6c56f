from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dayfacts.api"
    label = "api"
