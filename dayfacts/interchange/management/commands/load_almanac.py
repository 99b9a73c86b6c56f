from django.core.management.base import BaseCommand, CommandError

from dayfacts.facts import statistics
from dayfacts.facts.models import Fact
from dayfacts.interchange import almanac
from dayfacts.interchange.records import BadInput


class Command(BaseCommand):
    help = (
        "Load the starter almanac shipped with the package: the BSD calendar files and the "
        "featured articles. Safe to re-run: facts already loaded are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing when the database already holds facts (used by `make run`).",
        )
        parser.add_argument(
            "--update", action="store_true",
            help="Bring facts loaded before up to date with the shipped files (after an "
                 "edit of featured.json, say); by default they are left as they are.",
        )

    def handle(self, *args, if_empty=False, update=False, **options):
        if if_empty and Fact.objects.exists():
            self.stdout.write("The database already has facts; the almanac was not loaded.")
            return
        try:
            stats = almanac.load_almanac(almanac.CALENDAR_DIR, almanac.FEATURED_FILE, update)
        except BadInput as error:
            raise CommandError(f"The almanac was not loaded: {error}") from None
        statistics.refresh()
        for kind in almanac.KINDS:
            created, unchanged = stats.counts[kind, "created"], stats.counts[kind, "unchanged"]
            updated = stats.counts[kind, "updated"]
            self.stdout.write(f"{kind:8} {created:5} loaded, {unchanged:5} already there"
                              + (f", {updated} updated" if updated else ""))
        for reason, count in sorted(stats.skip_reasons.items()):
            self.stdout.write(f"skipped: {count} {reason}")
        if not almanac.FEATURED_FILE.exists():
            self.stdout.write(f"No featured articles yet ({almanac.FEATURED_FILE} is absent).")
        empty = almanac.empty_days()
        if empty:
            self.stderr.write(self.style.WARNING(
                f"{len(empty)} days have nothing to show: "
                + ", ".join(day.name for day in empty)
            ))
        else:
            self.stdout.write(self.style.SUCCESS("Every day of the year has something to show."))
