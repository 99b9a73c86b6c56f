from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from dayfacts.pagecache.export import Exporter


class Command(BaseCommand):
    help = (
        "Write every day, fact, topic and year page, the feeds, the sitemap and the API's day "
        "answers into OUTDIR as files for a static host; forms post to SITE_URL. Re-running "
        "rewrites only the files whose content changed and removes those no longer produced."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="Directory to write the site into (created if absent).")

    def handle(self, *args, outdir, **options):
        try:
            report = Exporter(outdir).run()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write the site into {outdir}: {error}") from error
        for address, status in report.failed:
            self.stderr.write(f"skipped {address}: the site answered {status}")
        self.stdout.write(
            f"{len(report.written)} written, {report.unchanged} unchanged, "
            f"{len(report.removed)} removed, {len(report.failed)} skipped, in {outdir}"
        )
