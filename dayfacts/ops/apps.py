from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dayfacts.ops"
    label = "ops"

    def ready(self):
        from dayfacts.pagecache import hooks

        from .middleware import ProbeMiddleware, count_cached_answer, tag_cached_answer

        # What RequestIdMiddleware and MetricsMiddleware do for the answers Django gives.
        hooks.register(tag_cached_answer)
        hooks.register(count_cached_answer, after=True)
        hooks.never_answer(*ProbeMiddleware.PATHS)
