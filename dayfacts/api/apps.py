from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dayfacts.api"
    label = "api"

    def ready(self):
        from dayfacts.pagecache import hooks

        from .middleware import cached_answer

        hooks.register(cached_answer)
