"""How a batch of checked records becomes rows: the writing half of the loader.

`BatchWriter` is mixed into `Loader`, which feeds it batches inside its short transactions
and keeps what it wrote (`self.input`) to show, or take back, later.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from dayfacts.facts.markup import render_markdown
from dayfacts.facts.models import Fact, Status, Topic
from dayfacts.facts.slugs import free_slug, slug_base

from .bulk import insert_rows
from .models import FactOrigin
from .records import FIELDS, FactRecord, Skip

BATCH_SIZE = 1000


class BatchWriter:
    """Write batches of fact records: new ones hidden, changed ones held back."""

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
