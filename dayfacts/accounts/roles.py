"""The editors' roles, as Django groups: who may change what in the admin.

A role names the models its members manage; they get every permission on those models
(view, add, change, delete) and nothing else. A model is named "app_label.model", or a
whole app by its label alone, so models an app adds later join the role by themselves.
A name ending in ":view" gives only the view permission: a model the role watches but
does not change. Staff users with no role see an empty admin; superusers are outside roles.
"""

from django.apps import apps as global_apps
from django.db.models import Q

ROLES = {
    # Editors watch the imports that bring in facts; the import command writes the runs.
    "editors": ["facts.fact", "facts.topic", "interchange.importrun:view"],
    "moderators": ["comments"],
    "newsletter managers": ["newsletter"],
}


def role_grants(role, apps=global_apps):
    """List (model, view_only) for each installed model a role manages or watches."""
    grants = []
    for name in ROLES[role]:
        name, _, only = name.partition(":")
        app_label, _, model_name = name.partition(".")
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:
            continue
        if model_name:
            try:
                models = [app_config.get_model(model_name)]
            except LookupError:
                continue
        else:
            models = app_config.get_models()
        grants.extend((model, only == "view") for model in models)
    return grants


def role_models(role, apps=global_apps):
    """List the installed models a role manages or watches."""
    return [model for model, _ in role_grants(role, apps)]


def sync_roles(apps=global_apps, using="default"):
    """Create the role groups and give each exactly its models' permissions; return counts."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = Q(pk__in=[])  # nothing, until a model is added: never every permission
        for model, view_only in role_grants(role, apps):
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False)
            if view_only:
                wanted |= Q(content_type=content_type,
                            codename=f"view_{content_type.model}")
            else:
                wanted |= Q(content_type=content_type)
        permissions = Permission.objects.using(using).filter(wanted)
        # set(), not add(): a model taken out of a role takes its permissions with it.
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def sync_after_migrate(sender, using="default", **kwargs):
    """Refill the roles once migrate has created the permissions (post_migrate receiver)."""
    # The installed apps, not the migration state `apps` the signal carries: permissions are
    # looked up by the real models' content types.
    sync_roles(global_apps, using=using)
