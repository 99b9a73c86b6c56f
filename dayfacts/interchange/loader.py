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
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, Kind, Status, Topic
from dayfacts.facts.signals import content_changed
from dayfacts.facts.slugs import free_slug, slug_base
from dayfacts.search import index as search_index

from .bulk import insert_rows
from .comments import CommentLoader
from .models import FactOrigin, ImportRun
from .records import FIELDS, BadInput, FactRecord, Problem, Skip, TopicRecord
from .validation import RecordCheck

BATCH_SIZE = 1000
# finish() shows this many facts (whole days) per transaction.
SHOW_SIZE = 2000
# On SQLite, after holding the write lock this long with no pause, leave one this long.
HOLD, PAUSE = 0.4, 0.1
OUTCOMES = ["created", "updated", "unchanged", "skipped", "errors"]
REPORT_KINDS = frozenset([*Kind.values, "topic"])


@dataclass
class Stats:
    """Counts by kind and outcome, the reasons things were skipped, and the problems met."""

    counts: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    skipped: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the run did besides importing (an abandoned run rolled back first...).
    notes: list[str] = field(default_factory=list)

    def add(self, kind, outcome, n=1):
        self.counts[kind, outcome] += n

    def skip(self, item: Skip):
        self.add(item.kind or "other", "skipped")
        self.skip_reasons[item.reason] += 1
        self.skipped.append(item)

    def total(self, outcome):
        return sum(n for (_, out), n in self.counts.items() if out == outcome)

    def kinds(self):
        order = [*Kind.values, "comment", "other"]
        present = {kind for kind, _ in self.counts}
        return [k for k in order if k in present] + sorted(present - set(order))

    def rows(self):
        """(kind, created, updated, unchanged, skipped, errors) per kind, then a total row."""
        rows = [(kind, *(self.counts[kind, out] for out in OUTCOMES)) for kind in self.kinds()]
        rows.append(("total", *(self.total(out) for out in OUTCOMES)))
        return rows

    def snapshot(self):
        return (Counter(self.counts), Counter(self.skip_reasons), len(self.skipped),
                len(self.problems))

    def restore(self, snapshot):
        self.counts, self.skip_reasons, skipped, problems = snapshot
        del self.skipped[skipped:]
        del self.problems[problems:]


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


class Loader:
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
        self._created = 0
        self._slugs = None
        self._topics = None
        self._topic_slugs = None

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
                self.run.advance(records=self._records, created_facts=self._created)

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
        self._created -= len(written.fact_ids)
        for start in range(0, len(written.fact_ids), 500):
            with transaction.atomic():
                Fact.objects.filter(pk__in=written.fact_ids[start:start + 500]).delete()
        for start in range(0, len(written.comment_ids), 500):
            with transaction.atomic():
                self.comments.delete(written.comment_ids[start:start + 500])
        written.__init__()

    # Writing -----------------------------------------------------------------------------

    def _write(self, batch):
        origins = dict(
            FactOrigin.objects.filter(source=self.source, key__in=[r.key for r in batch])
            .values_list("key", "fact_id")
        )
        matched = {}
        if self.match_slug:
            wanted = [r.slug for r in batch if r.key not in origins and r.slug]
            matched = dict(Fact.objects.filter(slug__in=wanted).values_list("slug", "pk"))
        existing_ids = {*origins.values(), *matched.values()}
        existing = Fact.objects.filter(pk__in=existing_ids).prefetch_related("topics").in_bulk()

        new, new_origins, kept = [], [], []
        for record in batch:
            fact_id = origins.get(record.key)
            if fact_id is None and record.slug in matched:
                fact_id = matched[record.slug]
                new_origins.append(FactOrigin(fact_id=fact_id, source=self.source, key=record.key))
            fact = existing.get(fact_id) if fact_id else None
            if fact is None:
                new.append(record)
                continue
            if record.comments:
                kept.append((record, fact.pk))
            if same(record, fact):
                self.stats.add(record.kind, "unchanged")
            elif self.update:
                self.stats.add(record.kind, "updated")
                self.input.updates[record.month, record.day].append((record, fact))
            else:
                self.stats.skip(Skip("differs from the database (use --update)", record.place,
                                     record.kind, record.title))
        if not self.dry_run:
            FactOrigin.objects.bulk_create(new_origins)
        self._create(new)
        # Comments of facts already there: new ones are added, known ones compared.
        self.input.comment_ids += self.comments.load(kept, shown=True)

    def _create(self, records):
        if not records:
            return
        for record in records:
            self.stats.add(record.kind, "created")
        slugs = [self._unique_slug(record) for record in records]
        if self.dry_run:
            self.comments.load([(r, None) for r in records if r.comments])
            return
        now = timezone.now()
        rows = []
        for record, slug in zip(records, slugs, strict=True):
            row = {name: getattr(record, name) for name in FIELDS}
            # Hidden until the run has read every input (finish()).
            row.update(status=Status.IMPORTING, slug=slug, body_html=body_html(record),
                       publish_at=record.publish_at or now, created=record.created or now,
                       updated=record.updated or now)
            rows.append(row)
        insert_rows(Fact, rows)
        ids = dict(Fact.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        fact_ids = [ids[slug] for slug in slugs]
        run_id = self.run.pk if self.run else None
        insert_rows(FactOrigin, [
            {"fact_id": fact_id, "source": self.source, "key": record.key, "imported": now,
             "run_id": run_id}
            for record, fact_id in zip(records, fact_ids, strict=True)
        ])
        pairs = list(zip(records, fact_ids, strict=True))
        self._set_topics([(r, pk) for r, pk in pairs if r.topics], replace=False)
        for record, fact_id in pairs:
            self.input.facts[record.month, record.day].append((fact_id, record.status))
        self.input.fact_ids += fact_ids
        self._created += len(fact_ids)
        self.comments.load([(r, pk) for r, pk in pairs if r.comments])

    def _update(self, pairs):
        """Write held-back updates (inside finish()'s transaction for their days)."""
        if not pairs:
            return
        now = timezone.now()
        for record, fact in pairs:
            apply(record, fact)
            if record.publish_at:
                fact.publish_at = record.publish_at
            fact.updated = record.updated or now
        Fact.objects.bulk_update(
            [f for _, f in pairs], [*FIELDS, "body_html", "publish_at", "updated"],
            batch_size=BATCH_SIZE,
        )
        self._set_topics([(r, f.pk) for r, f in pairs], replace=True)

    # Slugs and topics --------------------------------------------------------------------

    def _unique_slug(self, record):
        if self._slugs is None:
            self._slugs = set(Fact.objects.values_list("slug", flat=True))
        slug = free_slug(record.slug[:180] or slug_base(record.title, record.year),
                         self._slugs.__contains__)
        self._slugs.add(slug)
        return slug

    def _topic_id(self, name, slug=""):
        if self._topics is None:
            self._topics = dict(Topic.objects.values_list("name", "pk"))
            self._topic_slugs = set(Topic.objects.values_list("slug", flat=True))
        if name not in self._topics:
            slug = free_slug(slug or slugify(name)[:90] or "topic", self._topic_slugs.__contains__)
            self._topics[name] = Topic.objects.create(name=name, slug=slug).pk
            self._topic_slugs.add(slug)
        return self._topics[name]

    def _topic_record(self, item):
        topic = Topic.objects.filter(name=item.name).first()
        if topic is None:
            if not self.dry_run:
                self._topic_id(item.name, slug=item.slug)
                Topic.objects.filter(name=item.name).update(description=item.description)
            self.stats.add("topic", "created")
        elif topic.description == item.description:
            self.stats.add("topic", "unchanged")
        elif self.update:
            if not self.dry_run:
                Topic.objects.filter(pk=topic.pk).update(description=item.description)
            self.stats.add("topic", "updated")
        else:
            self.stats.skip(Skip("differs from the database (use --update)", item.place,
                                 "topic", item.name))

    def _set_topics(self, pairs, *, replace):
        """Give (record, fact id) pairs their records' topics."""
        through = Fact.topics.through
        if replace:
            through.objects.filter(fact_id__in=[pk for _, pk in pairs]).delete()
        rows = {(pk, self._topic_id(name)) for record, pk in pairs for name in record.topics}
        insert_rows(through, [{"fact_id": pk, "topic_id": topic} for pk, topic in sorted(rows)])


def _reason(error):
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, SystemExit):
        return "stopped"
    return str(error) or type(error).__name__


def apply(record: FactRecord, fact: Fact):
    """Copy a record's fields onto a fact (not saved)."""
    for name in FIELDS:
        setattr(fact, name, getattr(record, name))
    fact.body_html = body_html(record)


def body_html(record):
    """The article as HTML; most imported facts have none, and Markdown is slow on nothing."""
    return render_markdown(record.body) if record.body else ""


def same(record: FactRecord, fact: Fact) -> bool:
    """Whether the fact already says what the record says."""
    if any(getattr(record, name) != getattr(fact, name) for name in FIELDS):
        return False
    if record.publish_at and record.publish_at != fact.publish_at:
        return False
    return set(record.topics) == {t.name for t in fact.topics.all()}
