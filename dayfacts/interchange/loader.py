"""Write records to the database in bulk, once, without holding the site up: the part every
importer shares.

A record whose (source, key) was imported before is compared with its fact: equal means
unchanged; different means skipped, or updated with `update=True`. Every record first passes
its model fields' own checks (`RecordCheck`): bulk inserts skip model validation.

A run writes in short transactions, batch by batch, so that a reader's comment, the task
worker and the scheduler get the database between two of them (SQLite has one writer at a
time). What it promises stays whole all the same:

- New facts are written hidden (`Status.IMPORTING`) and updates are held back until every
  input has been read; then `finish()` shows them a few days at a time, each day's entries
  in one transaction, so a reader sees a day before the import or after it, never half.
- Each input is all or nothing: a bad one (with `skip_bad`) takes back what it wrote.
- A run that fails, is interrupted or whose process was killed is rolled back by deleting
  every row it created: each origin row names its run (`ImportRun.roll_back()`).

Use it as a context manager; leaving it by an exception rolls the run back:

    with Loader("wxr", what="export.xml", inputs=1) as loader:
        loader.load(importer.read(path))
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from dayfacts.facts.models import Fact, Kind
from dayfacts.facts.signals import content_changed
from dayfacts.search import index as search_index

from .comments import CommentLoader
from .models import ImportRun
from .records import BadInput, FactRecord, Note, Problem, Skip, TopicRecord
from .stats import Stats
from .validation import RecordCheck
from .writing import BATCH_SIZE, BatchWriter

# finish() shows this many facts (whole days) per transaction.
SHOW_SIZE = 1000
# On SQLite, after holding the write lock this long with no pause, leave one this long.
HOLD, PAUSE = 0.25, 0.1
REPORT_KINDS = frozenset([*Kind.values, "topic"])


class Written:
    """What one input (or the whole run) has written and not yet shown: new facts by day,
    held-back updates by day, and the ids to delete should it be taken back."""

    def __init__(self):
        self.facts = defaultdict(list)  # (month, day): [(fact id, status to show)]
        self.updates = defaultdict(list)  # (month, day): [(record, fact)]
        self.fact_ids: list[int] = []
        self.comment_ids: list[int] = []

    def merge(self, other: Written):
        for day, items in other.facts.items():
            self.facts[day] += items
        for day, items in other.updates.items():
            self.updates[day] += items
        self.fact_ids += other.fact_ids
        self.comment_ids += other.comment_ids

    def days(self):
        return sorted(set(self.facts) | set(self.updates))


class Loader(BatchWriter):
    """Load the records of one source, input by input (`load()`), as one import run."""

    def __init__(self, source, *, update=False, match_slug=False, skip_bad=False, stats=None,
                 on_record=None, dry_run=False, what="", inputs=0):
        self.source = source
        self.update = update
        self.match_slug = match_slug
        self.skip_bad = skip_bad
        self.dry_run = dry_run
        self.stats = stats or Stats()
        self.on_record = on_record
        self.what, self.inputs = what or source, inputs
        self.run: ImportRun | None = None
        self.comments = CommentLoader(self)
        self.check = RecordCheck()
        self.pending: list[FactRecord] = []
        self.seen: set[str] = set()
        self.written = Written()  # by the inputs read whole so far
        self.input = Written()  # by the input being read
        self._records = 0
        self._last_commit = self._busy_since = 0.0
        self._slugs = None
        self._topics = None
        self._topic_slugs = None

    @property
    def created(self):
        """How many facts the run has created so far (less any input taken back)."""
        return len(self.written.fact_ids) + len(self.input.fact_ids)

    # The run --------------------------------------------------------------------------------

    def __enter__(self):
        if not self.dry_run:
            self.run, abandoned = ImportRun.objects.begin(self.source, self.what, self.inputs)
            for run in abandoned:
                deleted = run.roll_back("its process stopped before it finished")
                self.stats.notes.append(
                    f"Rolled back {run} from {run.started:%Y-%m-%d %H:%M}, whose process "
                    f"had stopped: {deleted} facts it had written were deleted."
                )
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            self.finish()
            return
        if self.run is not None:
            self.run.roll_back(_reason(error))

    def finish(self):
        """Show what the run wrote, a few whole days per transaction, and close the run."""
        if self.run is None:
            return
        self.run.advance(state=ImportRun.State.PUBLISHING)
        chunk, size = [], 0
        for day in self.written.days():
            chunk.append(day)
            size += len(self.written.facts[day]) + len(self.written.updates[day])
            if size >= SHOW_SIZE:
                self._show(chunk)
                chunk, size = [], 0
        if chunk:
            self._show(chunk)
        if self.stats.total("created") or self.stats.total("updated"):
            # Comments on facts already shown, topics: what _show() did not announce.
            content_changed.send(sender=Fact)
        self.run.advance(state=ImportRun.State.FINISHED, finished=timezone.now())

    def _show(self, days):
        with self.turn():
            by_status = defaultdict(list)
            updates = []
            for day in days:
                for fact_id, status in self.written.facts.pop(day, ()):
                    by_status[status].append(fact_id)
                updates += self.written.updates.pop(day, ())
            for status, ids in by_status.items():
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    Fact.objects.filter(pk__in=chunk).update(status=status)
                    # The index's triggers leave hidden rows out; they join it as they show.
                    search_index.add(chunk)
            self._update(updates)
            self.run.advance()
            content_changed.send(sender=Fact)

    # Feeding -----------------------------------------------------------------------------

    def add(self, item):
        """Take one record, skip or problem from an importer."""
        if self.on_record:
            self.on_record()
        self._records += 1
        if isinstance(item, Skip):
            self.stats.skip(item)
            return
        if isinstance(item, Note):
            self.stats.notes.append(str(item))
            return
        try:
            if isinstance(item, Problem):
                raise BadInput(item.path, item.place, item.message)
            if isinstance(item, TopicRecord):
                self.check.topic(item)
            else:
                self.check.fact(item)
        except BadInput as error:
            kind = "topic" if isinstance(item, TopicRecord) else getattr(item, "kind", "")
            # The report's rows are the known kinds: a bad record may name any kind at all.
            self._refuse(error, kind if kind in REPORT_KINDS else "other")
            return
        if isinstance(item, TopicRecord):
            self._topic_record(item)
            return
        item.comments = self._good_comments(item.comments)
        if item.key in self.seen:
            self.stats.skip(Skip("duplicate in the input", item.place, item.kind, item.title))
            return
        self.seen.add(item.key)
        self.pending.append(item)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def _good_comments(self, comments):
        """The comments that pass their checks (a bad one is refused on its own)."""
        good = []
        for comment in comments:
            try:
                self.check.comment(comment)
            except BadInput as error:
                self._refuse(error, "comment")
                continue
            good.append(comment)
        return good

    def _refuse(self, error, kind):
        """Stop the import on bad input, or with `skip_bad` count and list it and go on."""
        if not self.skip_bad:
            raise error
        self.stats.problems.append(error.problem)
        self.stats.add(kind or "other", "errors")

    def load(self, items):
        """Load one input's items, all or nothing: a bad input leaves no trace of itself."""
        self.flush()
        seen, snapshot = set(self.seen), self.stats.snapshot()
        self.input = Written()
        try:
            for item in items:
                self.add(item)
            self.flush()
        except BaseException:
            self.pending, self.seen = [], seen
            self.stats.restore(snapshot)
            self._slugs = self._topics = self._topic_slugs = None
            self._take_back(self.input)
            raise
        finally:
            self.written.merge(self.input)
            self.input = Written()
        if self.run is not None:
            self.run.advance(inputs_done=self.run.inputs_done + 1, records=self._records)

    def flush(self):
        """Write the records taken so far, in one short transaction."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        with self.turn():
            self._write(batch)
            if self.run is not None:
                self.run.advance(records=self._records, created_facts=self.created)

    @contextmanager
    def turn(self):
        """A write transaction that leaves other writers their turn.

        SQLite does not queue writers: one waiting on its busy timeout retries at growing
        intervals (up to a tenth of a second) and would nearly always miss the instant
        between two of the run's transactions. So after holding the lock for HOLD seconds
        without a pause as long as PAUSE, the run pauses that long before the next one.
        """
        if connection.vendor == "sqlite":
            now = time.monotonic()
            if now - self._last_commit >= PAUSE:
                self._busy_since = now
            elif now - self._busy_since >= HOLD:
                time.sleep(PAUSE)
                self._busy_since = time.monotonic()
        with transaction.atomic():
            yield
        self._last_commit = time.monotonic()

    def _take_back(self, written: Written):
        """Delete what an input wrote (its facts are still hidden)."""
        if self.run is None:
            return
        for start in range(0, len(written.fact_ids), 500):
            with transaction.atomic():
                Fact.objects.filter(pk__in=written.fact_ids[start:start + 500]).delete()
        for start in range(0, len(written.comment_ids), 500):
            with transaction.atomic():
                self.comments.delete(written.comment_ids[start:start + 500])
        written.__init__()

def _reason(error):
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, SystemExit):
        return "stopped"
    return str(error) or type(error).__name__


