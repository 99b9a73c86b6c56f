from django.apps import AppConfig


class DaysConfig(AppConfig):
    name = "dayfacts.days"
    label = "days"
    verbose_name = "Calendar days"
