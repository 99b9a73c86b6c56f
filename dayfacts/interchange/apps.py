from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "dayfacts.interchange"
    label = "interchange"
