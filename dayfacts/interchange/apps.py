from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "dayfacts.interchange"
    label = "interchange"

    def ready(self):
        from .signals import import_finished

        # Bulk imports change the facts table's shape more than anything else does.
        import_finished.connect(refresh_statistics, dispatch_uid="interchange.statistics")


def refresh_statistics(**kwargs):
    """Bring the planner's statistics up to date after an import."""
    from dayfacts.facts import statistics

    statistics.refresh()
