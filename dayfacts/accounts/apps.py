from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "dayfacts.accounts"
    label = "accounts"
    verbose_name = "Editors' accounts"

    def ready(self):
        from .roles import sync_after_migrate

        # Permissions are created by each app's post_migrate; the roles are filled in after
        # every app's turn, so an app that lands later (comments, newsletter) joins its role
        # on its first migrate, and a test database flushed between tests gets them back.
        post_migrate.connect(sync_after_migrate, dispatch_uid="dayfacts.accounts.roles")
