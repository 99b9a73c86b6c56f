from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FactsConfig(AppConfig):
    name = "dayfacts.facts"
    label = "facts"
    verbose_name = "Facts"

    def ready(self):
        from . import signals, statistics
        from .models import Fact, Topic

        post_migrate.connect(statistics.refresh_after_migrate, sender=self,
                             dispatch_uid="facts.statistics")
        signals.watch(Fact, Topic, Fact.topics.through)
