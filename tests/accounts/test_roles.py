"""Each role reaches its own part of the admin and nothing else."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from dayfacts.accounts.roles import ROLES, role_models


def member_of(role, client):
    username = f"{role.replace(' ', '-')}-1"
    user = User.objects.create_user(username, password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def admin_url(model, view="changelist"):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/" + (
        "add/" if view == "add" else ""
    )


@pytest.mark.django_db
def test_migrate_creates_the_three_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.django_db
def test_editors_hold_every_permission_on_facts_and_topics_only():
    perms = set(Group.objects.get(name="editors").permissions.values_list(
        "content_type__app_label", "content_type__model", "codename"))
    assert ("facts", "fact", "change_fact") in perms
    assert ("facts", "topic", "delete_topic") in perms
    # ...and watch the imports, which only the import command writes.
    assert ("interchange", "importrun", "view_importrun") in perms
    assert {(app, model) for app, model, _ in perms} == {
        ("facts", "fact"), ("facts", "topic"), ("interchange", "importrun")}
    assert {code for app, _, code in perms if app == "interchange"} == {"view_importrun"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_reaches_exactly_its_own_admin_pages(client, role):
    """Walk every model in the admin: a role's own models open, every other one is refused.

    The admin registry grows as apps land (comments, newsletter), and so does this test.
    """
    member_of(role, client)
    own = set(role_models(role))
    if not own:
        pytest.skip(f"the models {role} manage are not installed yet")
    for model in admin.site._registry:
        # follow: a one-row settings model sends its list straight to its change page.
        listing = client.get(admin_url(model), follow=True)
        adding = client.get(admin_url(model, "add"), follow=True)
        if model in own:
            assert listing.status_code == 200, admin_url(model)
            assert adding.status_code in (200, 403), admin_url(model)  # 403: no add view
        else:
            assert listing.status_code == 403, f"{role} reached {admin_url(model)}"
            assert adding.status_code == 403, f"{role} reached {admin_url(model, 'add')}"


@pytest.mark.django_db
def test_no_role_can_hand_out_permissions(client):
    """Users and groups stay with superusers: no role can promote itself."""
    for role in ROLES:
        member_of(role, client)
        assert client.get("/admin/auth/user/").status_code == 403
        assert client.get("/admin/auth/group/").status_code == 403
        client.logout()


@pytest.mark.django_db
def test_an_editor_cannot_moderate_comments_or_manage_the_newsletter(client):
    editor = member_of("editors", client)
    for label in ("comments", "newsletter"):
        assert not editor.has_module_perms(label), label
        assert client.get(f"/admin/{label}/").status_code == 404


@pytest.mark.django_db
def test_staff_without_a_role_sees_nothing_to_change(client):
    User.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(User.objects.get(username="staff"))
    assert client.get(admin_url(role_models("editors")[0])).status_code == 403


@pytest.mark.django_db
def test_roles_command_grants_syncs_and_revokes(capsys):
    User.objects.create_user("ada", password="x")
    Group.objects.get(name="editors").permissions.clear()
    call_command("roles", "grant", "ada", "editors")
    ada = User.objects.get(username="ada")
    assert ada.is_staff and ada.has_perm("facts.change_fact")
    call_command("roles", "list")
    assert "ada" in capsys.readouterr().out
    call_command("roles", "revoke", "ada", "editors")
    assert not User.objects.get(username="ada").has_perm("facts.change_fact")
