from django.db import migrations


def create_roles(apps, schema_editor):
    from dayfacts.accounts.roles import ROLES

    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=role)


class Migration(migrations.Migration):
    # The groups exist from here on; their permissions are filled in after migrate
    # (dayfacts.accounts.roles.sync_after_migrate), once every app's permissions exist.
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
