from django.core.management.base import BaseCommand

from dayfacts.search import index


class Command(BaseCommand):
    help = "Look after the full-text search index."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "reindex", help="Index every fact afresh (after a restore or a load that skipped it)."
        )

    def handle(self, *args, action, **options):
        if action == "reindex":
            index.rebuild()
            count = index.size()
            self.stdout.write(f"Indexed {count} fact{'s' if count != 1 else ''}.")
