import sys

from django.core.management.base import BaseCommand, CommandError

from dayfacts.interchange.registry import exporters, get_exporter


class Command(BaseCommand):
    help = ("Export the site's data: `jsonl` (topics, facts, comments) or `csv` (facts). "
            "Commenters' emails are left out unless --include-private.")

    def add_arguments(self, parser):
        parser.add_argument("format", choices=[e.name for e in exporters()],
                            help="What to write.")
        parser.add_argument("-o", "--output", help="The file to write (default: standard output).")
        parser.add_argument("--include-private", action="store_true",
                            help="Include commenters' email addresses (keep such a file private).")

    def handle(self, *args, format, output=None, include_private=False, **options):
        exporter = get_exporter(format)(include_private=include_private)
        try:
            stream = open(output, "wb") if output else sys.stdout.buffer
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        try:
            counts = exporter.write(stream)
        finally:
            if output:
                stream.close()
            else:
                stream.flush()
        summary = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items())
        self.stderr.write(f"Exported {summary}" + (f" to {output}." if output else "."))
