import time

from django.core.management.base import BaseCommand, CommandError

from dayfacts.interchange import demo


def non_negative(text):
    number = int(text)
    if number < 0:
        raise ValueError(text)
    return number


class Command(BaseCommand):
    help = ("Fill the database with realistic synthetic facts (and comments and subscribers "
            "where those apps exist), for benchmarks, load tests and demos. Adds to what is "
            "there; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--facts", type=non_negative, default=10000,
                            help="How many facts to add (default 10000).")
        parser.add_argument("--comments", type=non_negative, default=0,
                            help="How many comments to add on facts with articles (default 0).")
        parser.add_argument("--subscribers", type=non_negative, default=0,
                            help="How many newsletter subscribers to add (default 0).")
        parser.add_argument("--seed", type=int, default=None,
                            help="Seed for the random choices, to make the same data again.")

    def handle(self, *args, facts, comments, subscribers, seed, verbosity, **options):
        started = time.monotonic()

        def progress(done):
            if verbosity > 1 or (verbosity and done % 100000 == 0):
                self.stdout.write(f"  {done} facts ({time.monotonic() - started:.0f} s)")

        made = demo.add_facts(facts, seed=seed, progress=progress) if facts else 0
        self.stdout.write(f"Added {made} facts in {time.monotonic() - started:.1f} s.")
        for label, count, add in (("comments", comments, demo.add_comments),
                                       ("subscribers", subscribers, demo.add_subscribers)):
            if not count:
                continue
            try:
                added = add(count, seed=seed)
            except Exception as error:  # a model changed under us: say which, keep the facts
                raise CommandError(f"Could not add {label}: {error}") from error
            if added is None:
                self.stdout.write(f"Skipped {label}: that app is not installed.")
            else:
                self.stdout.write(f"Added {added} {label}.")
