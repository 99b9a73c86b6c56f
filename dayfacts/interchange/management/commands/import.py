import signal
import sys
import threading
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dayfacts.interchange.loader import Loader
from dayfacts.interchange.models import ImportBusy
from dayfacts.interchange.records import BadInput
from dayfacts.interchange.registry import get_importer, importers
from dayfacts.interchange.signals import import_finished
from dayfacts.interchange.stats import OUTCOMES, Stats

# Without -v 2 the report lists this many problems and unparseable items, then a count.
REPORT_LIMIT = 20


class Command(BaseCommand):
    help = (
        "Import facts (and comments) from files in one of the registered formats; "
        "`--list` names them. Safe to re-run: what was imported before is left unchanged."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Options may come between the paths: `import wxr --skip-bad a.xml b.xml`.
        parser.parse_args = parser.parse_intermixed_args
        return parser

    def add_arguments(self, parser):
        parser.add_argument("format", nargs="?", help="The format; see --list.")
        parser.add_argument("paths", nargs="*", metavar="PATH",
                            help="Files or folders to import (folders give their matching files).")
        parser.add_argument("--list", action="store_true", help="List the formats and exit.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and check everything and report; write nothing.")
        parser.add_argument("--skip-bad", action="store_true",
                            help="Skip bad records and unreadable files, report them, and "
                                 "import the rest (by default one bad record imports nothing).")
        parser.add_argument("--update", action="store_true",
                            help="Overwrite facts imported before whose source has changed.")
        parser.add_argument("--no-progress", action="store_true",
                            help="No progress bar even on a terminal.")
        for importer in importers():
            importer.add_arguments(parser)

    def handle(self, *args, **options):
        self.console = Console(file=self.stdout._out, width=None if self.stdout.isatty() else 100,
                               highlight=False)
        if options["list"]:
            return self.list_formats()
        if not options["format"]:
            raise CommandError("Name a format (see `dayfacts import --list`) and the paths.")
        try:
            importer_class = get_importer(options["format"])
        except KeyError as error:
            raise CommandError(error.args[0]) from None
        importer = importer_class(**options)
        try:
            inputs = importer.inputs(options["paths"])
        except BadInput as error:
            raise CommandError(str(error)) from None
        if not inputs:
            raise CommandError(f"Nothing to import: give {importer_class.name} files or folders.")

        try:
            stats = self.run(importer, inputs, options)
        finally:
            importer.close()
        self.report(stats, options)
        if options["dry_run"]:
            self.console.print("Dry run: nothing was written.")

    def run(self, importer, inputs, options):
        stats = Stats()
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[records]} records"), TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            disable=options["no_progress"] or not sys.stderr.isatty(),
            transient=True,
        )
        task = progress.add_task("Importing", total=len(inputs), records=0)
        counter = {"records": 0}

        def tick():
            counter["records"] += 1
            if counter["records"] % 500 == 0:
                progress.update(task, records=counter["records"])

        loader = Loader(importer.name, update=options["update"], match_slug=importer.match_slug,
                        skip_bad=options["skip_bad"], stats=stats, on_record=tick,
                        dry_run=options["dry_run"], inputs=len(inputs),
                        what=f"{importer.name} {' '.join(options['paths'])}")
        try:
            with stop_rolls_back(), progress, loader:
                for unit in inputs:
                    progress.update(task, description=importer.label(unit))
                    try:
                        loader.load(importer.read(unit))
                    except BadInput as error:
                        if not options["skip_bad"]:
                            raise CommandError(f"{error}\nNothing was imported; fix the input "
                                               "or use --skip-bad.") from None
                        stats.problems.append(error.problem)
                        stats.add("file", "errors")
                    progress.update(task, advance=1, records=counter["records"])
        except ImportBusy as error:
            raise CommandError(str(error)) from None
        if not options["dry_run"]:
            import_finished.send(sender=type(importer), stats=stats)
        return stats

    def report(self, stats, options):
        for note in stats.notes:
            self.console.print(note, markup=False, soft_wrap=True)
        table = Table(title="Import summary", title_justify="left")
        table.add_column("kind")
        for outcome in OUTCOMES:
            table.add_column(outcome, justify="right")
        for row in stats.rows():
            table.add_row(*(str(cell) for cell in row))
        self.console.print(table)
        for reason, count in stats.skip_reasons.most_common():
            self.console.print(f"skipped {count}: {reason}", markup=False, soft_wrap=True)
        verbose = options["verbosity"] >= 2
        reported = [s for s in stats.skipped if s.detail and s.place and s.reported]
        listed = [*(str(p) for p in stats.problems),
                  *(f"{s.place}: {s.reason}: {s.detail}" for s in reported)]
        if listed:
            self.console.print(f"{len(stats.problems)} errors, {len(reported)} items "
                               "that could not be read:")
            for line in listed if verbose else listed[:REPORT_LIMIT]:
                self.console.print(f"  {line}", markup=False, soft_wrap=True)
            if not verbose and len(listed) > REPORT_LIMIT:
                self.console.print(f"  ... and {len(listed) - REPORT_LIMIT} more (-v 2 lists all)")

    def list_formats(self):
        table = Table(title="Formats", title_justify="left")
        table.add_column("format")
        table.add_column("what it reads")
        for importer in importers():
            table.add_row(importer.name, importer.help)
        self.console.print(table)


@contextmanager
def stop_rolls_back():
    """Take SIGTERM (a kill, a service manager's stop) as an interruption, which rolls the
    run back as Ctrl-C does, rather than dying with the run half written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
