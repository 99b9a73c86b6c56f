"""Write records to the database in bulk, once: the part every importer shares.

A record whose (source, key) was imported before is compared with its fact: equal means
unchanged; different means skipped, or updated with `update=True`. New records become
facts with bulk inserts, batch by batch, so a large import costs a few queries per batch
rather than several per fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dayfacts.days import MonthDay, format_year
from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, Kind, Status, Topic

from .models import FactOrigin
from .records import BadInput, FactRecord, Problem, Skip

BATCH_SIZE = 1000
# Fields a record sets on its fact, compared to tell "unchanged" from "changed at source".
FIELDS = ["month", "day", "year", "kind", "title", "summary", "body", "source_name",
          "source_url", "licence", "attribution", "featured", "notability", "status"]
OUTCOMES = ["created", "updated", "unchanged", "skipped", "errors"]


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
    """Load the records of one source; use inside a transaction, call `flush()` at the end."""

    def __init__(self, source, *, update=False, match_slug=False, stats=None):
        self.source = source
        self.update = update
        self.match_slug = match_slug
        self.stats = stats or Stats()
        self.pending: list[FactRecord] = []
        self.seen: set[str] = set()
        self._slugs = None
        self._topics = None
        self._topic_slugs = None

    # Feeding -----------------------------------------------------------------------------

    def add(self, item):
        """Take one record or skip from an importer."""
        if isinstance(item, Skip):
            self.stats.skip(item)
            return
        if item.key in self.seen:
            self.stats.skip(Skip("duplicate in the input", item.place, item.kind, item.title))
            return
        check_record(item)
        self.seen.add(item.key)
        self.pending.append(item)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def load(self, items):
        """Load one input's items, all or nothing: a bad input leaves no trace of itself."""
        self.flush()
        seen, counts = set(self.seen), Counter(self.stats.counts)
        reasons, skipped = Counter(self.stats.skip_reasons), len(self.stats.skipped)
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
            self._slugs = self._topics = self._topic_slugs = None
            raise

    def flush(self):
        """Write the records taken so far."""
        batch, self.pending = self.pending, []
        if batch:
            self._write(batch)

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

        new, changed, new_origins = [], [], []
        for record in batch:
            fact_id = origins.get(record.key)
            if fact_id is None and record.slug in matched:
                fact_id = matched[record.slug]
                new_origins.append(FactOrigin(fact_id=fact_id, source=self.source, key=record.key))
            fact = existing.get(fact_id) if fact_id else None
            if fact is None:
                new.append(record)
            elif same(record, fact):
                self.stats.add(record.kind, "unchanged")
            elif self.update:
                changed.append((record, fact))
            else:
                self.stats.skip(Skip("differs from the database (use --update)", record.place,
                                     record.kind, record.title))
        self._create(new)
        self._update(changed)
        FactOrigin.objects.bulk_create(new_origins)

    def _create(self, records):
        if not records:
            return
        now = timezone.now()
        facts = []
        for record in records:
            fact = Fact(slug=self._unique_slug(record), publish_at=record.publish_at or now,
                        created=now, updated=now)
            apply(record, fact)
            facts.append(fact)
        Fact.objects.bulk_create(facts, batch_size=BATCH_SIZE)
        if any(f.pk is None for f in facts):
            # Backends that cannot return ids from a bulk insert: look them up by slug.
            ids = dict(Fact.objects.filter(slug__in=[f.slug for f in facts])
                       .values_list("slug", "pk"))
            for fact in facts:
                fact.pk = fact.id = ids[fact.slug]
        pairs = list(zip(records, facts, strict=True))
        FactOrigin.objects.bulk_create(
            [FactOrigin(fact_id=f.pk, source=self.source, key=r.key) for r, f in pairs],
            batch_size=BATCH_SIZE,
        )
        self._set_topics([(r, f) for r, f in pairs if r.topics], replace=False)
        for record in records:
            self.stats.add(record.kind, "created")
        self.created_facts(records, facts)

    def _update(self, pairs):
        if not pairs:
            return
        now = timezone.now()
        for record, fact in pairs:
            apply(record, fact)
            if record.publish_at:
                fact.publish_at = record.publish_at
            fact.updated = now
            self.stats.add(record.kind, "updated")
        Fact.objects.bulk_update(
            [f for _, f in pairs], [*FIELDS, "body_html", "publish_at", "updated"],
            batch_size=BATCH_SIZE,
        )
        self._set_topics(pairs, replace=True)
        self.created_facts([r for r, _ in pairs], [f for _, f in pairs])

    def created_facts(self, records, facts):
        """Hook for what hangs off new or updated facts (comments); the base does nothing."""

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

    def _topic_id(self, name):
        if self._topics is None:
            self._topics = dict(Topic.objects.values_list("name", "pk"))
            self._topic_slugs = set(Topic.objects.values_list("slug", flat=True))
        if name not in self._topics:
            base = slugify(name)[:90] or "topic"
            slug, n = base, 2
            while slug in self._topic_slugs:
                slug, n = f"{base}-{n}", n + 1
            self._topics[name] = Topic.objects.create(name=name, slug=slug).pk
            self._topic_slugs.add(slug)
        return self._topics[name]

    def _set_topics(self, pairs, *, replace):
        through = Fact.topics.through
        if replace:
            through.objects.filter(fact_id__in=[f.pk for _, f in pairs]).delete()
        rows = {
            (fact.pk, self._topic_id(name))
            for record, fact in pairs
            for name in record.topics
        }
        through.objects.bulk_create(
            [through(fact_id=fact_id, topic_id=topic_id) for fact_id, topic_id in rows],
            batch_size=BATCH_SIZE,
        )


def check_record(record: FactRecord):
    """Refuse a record the facts table would refuse, naming its place."""
    try:
        MonthDay(record.month, record.day)
    except (ValueError, TypeError) as error:
        raise BadInput(record.place or record.key, "", str(error)) from None
    if record.kind not in Kind.values:
        raise BadInput(record.place or record.key, "",
                       f"unknown kind {record.kind!r} (one of {', '.join(Kind.values)})")
    if record.status not in Status.values:
        raise BadInput(record.place or record.key, "",
                       f"unknown status {record.status!r} (one of {', '.join(Status.values)})")
    if record.year == 0:
        raise BadInput(record.place or record.key, "", "there is no year 0")
    if not record.title.strip():
        raise BadInput(record.place or record.key, "", "the title is empty")
    record.title = record.title.strip()[:300]


def apply(record: FactRecord, fact: Fact):
    """Copy a record's fields onto a fact (not saved)."""
    for name in FIELDS:
        setattr(fact, name, getattr(record, name))
    fact.body_html = render_markdown(record.body)


def same(record: FactRecord, fact: Fact) -> bool:
    """Whether the fact already says what the record says."""
    if any(getattr(record, name) != getattr(fact, name) for name in FIELDS):
        return False
    if record.publish_at and record.publish_at != fact.publish_at:
        return False
    return set(record.topics) == {t.name for t in fact.topics.all()}
