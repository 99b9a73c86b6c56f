from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dayfacts.ops"
    label = "ops"
