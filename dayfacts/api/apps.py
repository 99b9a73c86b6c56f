from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dayfacts.api"
    label = "api"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from dayfacts.facts.models import Fact, Topic

        from .onthisday import facts_changed

        # Built on-this-day answers go stale when a fact, its topics or a topic changes.
        for model in (Fact, Topic):
            post_save.connect(facts_changed, sender=model, dispatch_uid=f"api-{model.__name__}")
            post_delete.connect(facts_changed, sender=model,
                                dispatch_uid=f"api-del-{model.__name__}")
        m2m_changed.connect(facts_changed, sender=Fact.topics.through, dispatch_uid="api-m2m")
