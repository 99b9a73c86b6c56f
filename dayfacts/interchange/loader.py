"""Write records to the database in bulk, once: the part every importer shares.

A record whose (source, key) was imported before is compared with its fact: equal means
unchanged; different means skipped, or updated with `update=True`. New records become
facts with bulk inserts, batch by batch, so a large import costs a few queries per batch
rather than several per fact. Every record first passes its model fields' own checks
(`RecordCheck`): bulk inserts skip model validation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dayfacts.comments.models import Comment
from dayfacts.days import MonthDay, format_year
from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, Kind, Topic
from dayfacts.pagecache.signals import invalidate

from .bulk import insert_rows
from .models import CommentOrigin, FactOrigin
from .records import BadInput, CommentRecord, FactRecord, Problem, Skip, TopicRecord
from .validation import FieldCheck

BATCH_SIZE = 1000
# Fields a record sets on its fact, compared to tell "unchanged" from "changed at source".
FIELDS = ["month", "day", "year", "kind", "title", "summary", "body", "source_name",
          "source_url", "licence", "attribution", "featured", "notability", "status"]
OUTCOMES = ["created", "updated", "unchanged", "skipped", "errors"]
REPORT_KINDS = frozenset([*Kind.values, "topic"])


@dataclass
class Stats:
    """Counts by kind and outcome, the reasons things were skipped, and the problems met."""

    counts: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    skipped: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

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


class Loader:
    """Load the records of one source, input by input (`load()`), inside a transaction."""

    def __init__(self, source, *, update=False, match_slug=False, skip_bad=False, stats=None,
                 on_record=None):
        self.source = source
        self.update = update
        self.match_slug = match_slug
        self.skip_bad = skip_bad
        self.stats = stats or Stats()
        self.on_record = on_record
        self.comments = CommentLoader(self)
        self.check = RecordCheck()
        self.pending: list[FactRecord] = []
        self.seen: set[str] = set()
        self._slugs = None
        self._topics = None
        self._topic_slugs = None

    # Feeding -----------------------------------------------------------------------------

    def add(self, item):
        """Take one record, skip or problem from an importer."""
        if self.on_record:
            self.on_record()
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
        seen, counts = set(self.seen), Counter(self.stats.counts)
        reasons, skipped = Counter(self.stats.skip_reasons), len(self.stats.skipped)
        problems = len(self.stats.problems)
        try:
            with transaction.atomic():
                for item in items:
                    self.add(item)
                self.flush()
        except BaseException:
            # The savepoint is gone: forget what this input added to the caches and counts.
            self.pending, self.seen = [], seen
            self.stats.counts, self.stats.skip_reasons = counts, reasons
            del self.stats.skipped[skipped:]
            del self.stats.problems[problems:]
            self._slugs = self._topics = self._topic_slugs = None
            raise

    def flush(self):
        """Write the records taken so far."""
        batch, self.pending = self.pending, []
        if batch:
            self._write(batch)
            # Bulk writes send no model signals: cached pages are told here.
            invalidate()

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

        new, changed, new_origins, kept = [], [], [], []
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
                changed.append((record, fact))
            else:
                self.stats.skip(Skip("differs from the database (use --update)", record.place,
                                     record.kind, record.title))
        FactOrigin.objects.bulk_create(new_origins)
        self._create(new)
        self._update(changed)
        # Comments of facts already there: new ones are added, known ones compared.
        self.comments.load(kept)

    def _create(self, records):
        if not records:
            return
        now = timezone.now()
        rows = []
        for record in records:
            row = {name: getattr(record, name) for name in FIELDS}
            row.update(slug=self._unique_slug(record), body_html=body_html(record),
                       publish_at=record.publish_at or now, created=record.created or now,
                       updated=record.updated or now)
            rows.append(row)
        insert_rows(Fact, rows)
        ids = dict(Fact.objects.filter(slug__in=[row["slug"] for row in rows])
                   .values_list("slug", "pk"))
        fact_ids = [ids[row["slug"]] for row in rows]
        insert_rows(FactOrigin, [
            {"fact_id": fact_id, "source": self.source, "key": record.key, "imported": now}
            for record, fact_id in zip(records, fact_ids, strict=True)
        ])
        self._set_topics([(r, pk) for r, pk in zip(records, fact_ids, strict=True) if r.topics],
                         replace=False)
        for record in records:
            self.stats.add(record.kind, "created")
        self.comments.load([(r, pk) for r, pk in zip(records, fact_ids, strict=True)
                            if r.comments])

    def _update(self, pairs):
        if not pairs:
            return
        now = timezone.now()
        for record, fact in pairs:
            apply(record, fact)
            if record.publish_at:
                fact.publish_at = record.publish_at
            fact.updated = record.updated or now
            self.stats.add(record.kind, "updated")
        Fact.objects.bulk_update(
            [f for _, f in pairs], [*FIELDS, "body_html", "publish_at", "updated"],
            batch_size=BATCH_SIZE,
        )
        self._set_topics([(r, f.pk) for r, f in pairs], replace=True)

    # Slugs and topics --------------------------------------------------------------------

    def _unique_slug(self, record):
        if self._slugs is None:
            self._slugs = set(Fact.objects.values_list("slug", flat=True))
        base = record.slug or slugify(f"{record.title} {format_year(record.year)}".strip())
        base = base[:180] or "fact"
        slug, n = base, 2
        while slug in self._slugs:
            slug, n = f"{base}-{n}", n + 1
        self._slugs.add(slug)
        return slug

    def _topic_id(self, name, slug=""):
        if self._topics is None:
            self._topics = dict(Topic.objects.values_list("name", "pk"))
            self._topic_slugs = set(Topic.objects.values_list("slug", flat=True))
        if name not in self._topics:
            base = slug or slugify(name)[:90] or "topic"
            slug, n = base, 2
            while slug in self._topic_slugs:
                slug, n = f"{base}-{n}", n + 1
            self._topics[name] = Topic.objects.create(name=name, slug=slug).pk
            self._topic_slugs.add(slug)
        return self._topics[name]

    def _topic_record(self, item):
        topic = Topic.objects.filter(name=item.name).first()
        if topic is None:
            self._topic_id(item.name, slug=item.slug)
            Topic.objects.filter(name=item.name).update(description=item.description)
            self.stats.add("topic", "created")
        elif topic.description == item.description:
            self.stats.add("topic", "unchanged")
        elif self.update:
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


class RecordCheck:
    """Refuse a record that its tables would refuse, naming its place and the field."""

    def __init__(self):
        self.facts = FieldCheck(Fact, [*FIELDS, "slug"])
        self.fact_keys = FieldCheck(FactOrigin, ["key"])
        self.topics = FieldCheck(Topic, ["name", "slug", "description"])
        # Exports leave commenters' emails out unless asked: an imported comment may lack one.
        self.comments = FieldCheck(Comment, CommentLoader.FIELDS, blank=["email"])
        self.comment_keys = FieldCheck(CommentOrigin, ["key"])

    def fact(self, record: FactRecord):
        """Check a fact record, leaving its values as the fields store them."""
        place = record.place or record.key
        try:
            MonthDay(record.month, record.day)
        except (ValueError, TypeError) as error:
            raise BadInput(place, "", str(error)) from None
        if record.year == 0:
            raise BadInput(place, "", "there is no year 0")
        if isinstance(record.title, str):
            record.title = record.title.strip()
        values = {name: getattr(record, name) for name in FIELDS}
        if record.slug:  # else the loader makes one from the title
            values["slug"] = record.slug
        try:
            for name, value in self.facts.clean(values).items():
                setattr(record, name, value)
            self.fact_keys.clean({"key": record.key})
            for topic in record.topics:
                self.topics.clean({"name": topic})
        except ValueError as error:
            raise BadInput(place, "", str(error)) from None

    def topic(self, record: TopicRecord):
        """Check a topic record."""
        values = {"name": record.name, "description": record.description}
        if record.slug:
            values["slug"] = record.slug
        try:
            for name, value in self.topics.clean(values).items():
                setattr(record, name, value)
        except ValueError as error:
            raise BadInput(record.place or record.name, "", f"topic {error}") from None

    def comment(self, record: CommentRecord):
        """Check a comment record, its email written the one way the site stores it."""
        record.email = record.email.strip().lower() if isinstance(record.email, str) else ""
        values = {name: getattr(record, name) for name in CommentLoader.FIELDS}
        try:
            for name, value in self.comments.clean(values).items():
                setattr(record, name, value)
            self.comment_keys.clean({"key": record.key})
        except ValueError as error:
            raise BadInput(record.place or record.key, "", f"comment {error}") from None


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


class CommentLoader:
    """Load the comments of imported facts, threads kept, each comment once."""

    FIELDS = ["name", "email", "url", "text", "status"]

    def __init__(self, loader):
        self.loader = loader

    def load(self, pairs):
        """Create or compare the comments of (record, fact id) pairs."""
        if not pairs:
            return
        stats, source = self.loader.stats, self.loader.source
        keys = [c.key for record, _ in pairs for c in record.comments]
        known = dict(CommentOrigin.objects.filter(source=source, key__in=keys)
                     .values_list("key", "comment_id"))
        if self.loader.match_slug:
            # Our own exports key a comment by its id: on the site it came from, that is
            # the same comment (when it is still on the same fact).
            ids = {int(key[8:]) for key in keys
                   if key not in known and key.startswith("comment/") and key[8:].isdigit()}
            known.update({f"comment/{pk}": pk for pk in
                          Comment.objects.filter(pk__in=ids).values_list("pk", flat=True)})
        existing = Comment.objects.in_bulk(known.values())
        origins = set(known) - set(CommentOrigin.objects.filter(
            source=source, key__in=list(known)).values_list("key", flat=True))
        by_key, created, changed, matched = {}, [], [], []
        for record, fact_id in pairs:
            for item in record.comments:
                comment = existing.get(known.get(item.key))
                if comment is not None and comment.fact_id != fact_id:
                    comment = None
                elif comment is not None and item.key in origins:
                    matched.append(CommentOrigin(comment=comment, source=source, key=item.key))
                if comment is None:
                    comment = Comment(fact_id=fact_id, name=item.name, email=item.email,
                                      url=item.url, text=item.text, status=item.status)
                    created.append((item, comment))
                elif any(getattr(item, f) != getattr(comment, f) for f in self.FIELDS):
                    if self.loader.update:
                        for name in self.FIELDS:
                            setattr(comment, name, getattr(item, name))
                        changed.append(comment)
                        stats.add("comment", "updated")
                    else:
                        stats.skip(Skip("differs from the database (use --update)",
                                        record.place, "comment", item.name))
                else:
                    stats.add("comment", "unchanged")
                by_key[item.key] = (item, comment)
        Comment.objects.bulk_create([c for _, c in created], batch_size=BATCH_SIZE)
        # The creation time is the source's, which auto_now_add overwrote on insert; the
        # threads are linked once every comment of the batch has its id.
        for item, comment in created:
            if item.created:
                comment.created = item.created
            parent = by_key.get(item.parent_key)
            comment.parent = parent[1] if parent else None
        for _, comment in created:
            comment.depth = depth(comment)
        Comment.objects.bulk_update([c for _, c in created], ["created", "parent", "depth"],
                                    batch_size=BATCH_SIZE)
        Comment.objects.bulk_update(changed, self.FIELDS, batch_size=BATCH_SIZE)
        CommentOrigin.objects.bulk_create(
            [*matched,
             *(CommentOrigin(comment=c, source=source, key=item.key) for item, c in created)],
            batch_size=BATCH_SIZE,
        )
        stats.add("comment", "created", len(created))


def depth(comment, limit=100):
    """1 for a comment on the fact, 2 for a reply, ... (a loop in bad data stops at `limit`)."""
    level, parent = 1, comment.parent
    while parent is not None and level < limit:
        level, parent = level + 1, parent.parent
    return level
