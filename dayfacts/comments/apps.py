from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "dayfacts.comments"
    label = "comments"
