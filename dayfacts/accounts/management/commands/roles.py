"""`dayfacts roles`: the editors' roles (Django groups) and who holds them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from dayfacts.accounts.roles import ROLES, role_models, sync_roles


class Command(BaseCommand):
    help = "Show the editors' roles, fill in their permissions, or give a role to a user."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="List each role, the models it manages and its members.")
        sub.add_parser("sync", help="Create the role groups and set their permissions.")
        grant = sub.add_parser("grant", help="Give a user a role (and admin access).")
        grant.add_argument("username")
        grant.add_argument("role", choices=sorted(ROLES))
        revoke = sub.add_parser("revoke", help="Take a role from a user.")
        revoke.add_argument("username")
        revoke.add_argument("role", choices=sorted(ROLES))

    def handle(self, *args, action, **options):
        if action == "sync":
            for role, count in sync_roles().items():
                self.stdout.write(f"{role}: {count} permissions")
        elif action == "list":
            for role in ROLES:
                models = ", ".join(m._meta.label_lower for m in role_models(role)) or "(none yet)"
                members = Group.objects.filter(name=role).values_list("user__username", flat=True)
                names = ", ".join(sorted(n for n in members if n)) or "(nobody)"
                self.stdout.write(f"{role}\n  manages: {models}\n  members: {names}")
        else:
            user = self._user(options["username"])
            group, _ = Group.objects.get_or_create(name=options["role"])
            if action == "grant":
                sync_roles()
                user.groups.add(group)
                if not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                self.stdout.write(f"{user.get_username()} is now in {group.name}.")
            else:
                user.groups.remove(group)
                self.stdout.write(f"{user.get_username()} is no longer in {group.name}.")

    def _user(self, username):
        User = get_user_model()
        try:
            return User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
