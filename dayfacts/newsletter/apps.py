from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "dayfacts.newsletter"
    label = "newsletter"
