from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "dayfacts.comments"
    label = "comments"
    verbose_name = "comments"

    def ready(self):
        from . import signals  # noqa: F401  (connects the visibility receivers)
