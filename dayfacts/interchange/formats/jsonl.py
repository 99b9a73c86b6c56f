"""JSON Lines: everything the site holds, one object a line, for backups and moves.

Each line has a "type": "topic", "fact" or "comment"; the fields are listed in
docs/import-export.md. Facts are matched by their slug, so importing an export into the
site it came from changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.utils.dateparse import parse_datetime

from dayfacts.facts.models import Fact, Topic

from ..records import BadInput, CommentRecord, FactRecord, Problem, TopicRecord
from ..registry import Exporter, Importer, register

FACT_FIELDS = ["slug", "month", "day", "year", "kind", "title", "summary", "body", "topics",
               "source_name", "source_url", "licence", "attribution", "featured", "notability",
               "status", "publish_at", "created", "updated"]
COMMENT_FIELDS = ["key", "fact", "parent", "name", "url", "text", "status", "created"]


def parse_time(value, what):
    """An ISO 8601 time with its offset, or None when absent."""
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"{what} must be an ISO 8601 time with an offset, not {value!r}")
    return parsed


def fact_record(data, place) -> FactRecord:
    """A fact from an exported object (JSON Lines, or a CSV row made into one)."""
    missing = [name for name in ("month", "day", "title") if data.get(name) in (None, "")]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    topics = data.get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise ValueError("topics must be a list of names")
    try:
        month, day = int(data["month"]), int(data["day"])
        year = None if data.get("year") in (None, "") else int(data["year"])
        notability = int(data.get("notability") or 0)
    except (TypeError, ValueError):
        raise ValueError("month, day, year and notability must be whole numbers") from None
    text_fields = {name: data.get(name) or "" for name in
                   ("summary", "body", "source_name", "source_url", "licence", "attribution")}
    if not all(isinstance(value, str) for value in text_fields.values()):
        raise ValueError("summary, body, source and licence fields must be text")
    slug = data.get("slug") or ""
    return FactRecord(
        key=slug or f"{month:02d}-{day:02d}/{year}/{data['title']}"[:255],
        slug=slug, month=month, day=day, year=year, kind=data.get("kind") or "event",
        title=str(data["title"]), topics=list(topics), featured=bool(data.get("featured")),
        notability=notability, status=data.get("status") or "published",
        publish_at=parse_time(data.get("publish_at"), "publish_at"),
        created=parse_time(data.get("created"), "created"),
        updated=parse_time(data.get("updated"), "updated"), place=place,
        **text_fields,
    )


@register
class JSONLinesImporter(Importer):
    name = "jsonl"
    help = "JSON Lines as `dayfacts export jsonl` writes it: topics, facts and comments."
    suffixes = (".jsonl",)
    match_slug = True

    def read(self, path):
        """Yield topics, then facts with their comments; bad lines become problems."""
        text = self.read_text(path)
        name = Path(path).name
        facts: dict[str, FactRecord] = {}
        comments: list[tuple[dict, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            place = f"line {number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                if number == 1:
                    raise BadInput(path, place, f"not JSON Lines ({error.msg})") from None
                yield Problem(name, place, f"not valid JSON ({error.msg}, column {error.colno})")
                continue
            kind = data.get("type") if isinstance(data, dict) else None
            try:
                if kind == "topic":
                    if not isinstance(data.get("name"), str) or not data["name"].strip():
                        raise ValueError("a topic needs a name")
                    yield TopicRecord(data["name"], data.get("slug") or "",
                                      data.get("description") or "", f"{name}, {place}")
                elif kind == "fact":
                    record = fact_record(data, f"{name}, {place}")
                    facts[record.slug or record.key] = record
                elif kind == "comment":
                    comments.append((data, place))
                else:
                    raise ValueError(f"unknown type {kind!r} (topic, fact or comment)")
            except ValueError as error:
                yield Problem(name, place, str(error))
        for data, place in comments:
            try:
                fact = facts.get(data.get("fact"))
                if fact is None:
                    raise ValueError(f"the comment's fact {data.get('fact')!r} is not in the file")
                fact.comments.append(comment_record(data, f"{name}, {place}"))
            except ValueError as error:
                yield Problem(name, place, str(error))
        yield from facts.values()


def comment_record(data, place="") -> CommentRecord:
    """A comment from an exported object."""
    for field in ("key", "name", "text"):
        if not isinstance(data.get(field), str) or not data[field]:
            raise ValueError(f"the comment has no {field}")
    return CommentRecord(
        key=data["key"], name=data["name"], text=data["text"], email=data.get("email") or "",
        url=data.get("url") or "", status=data.get("status") or "pending",
        created=parse_time(data.get("created"), "created"), parent_key=data.get("parent"),
        place=place,
    )


def fact_object(fact) -> dict:
    """A fact as an exported object."""
    data = {name: getattr(fact, name) for name in FACT_FIELDS if name not in ("topics",)}
    data["topics"] = sorted(t.name for t in fact.topics.all())
    for name in ("publish_at", "created", "updated"):
        data[name] = getattr(fact, name).isoformat()
    return data


def comment_key(comment):
    return f"comment/{comment.pk}"


@register
class JSONLinesExporter(Exporter):
    name = "jsonl"
    help = "Everything: topics, facts and comments, one JSON object a line."
    suffix = ".jsonl"

    def write(self, stream):
        """Write topics, then facts, then comments (emails only when asked)."""
        counts = {"topic": 0, "fact": 0, "comment": 0}

        def emit(data):
            stream.write(json.dumps(data, ensure_ascii=False).encode() + b"\n")
            counts[data["type"]] += 1

        for topic in Topic.objects.order_by("name"):
            emit({"type": "topic", "name": topic.name, "slug": topic.slug,
                  "description": topic.description})
        facts = Fact.objects.order_by("month", "day", "pk").prefetch_related("topics")
        for fact in facts.iterator(chunk_size=2000):
            emit({"type": "fact", **fact_object(fact)})
        for comment in comments():
            data = {"type": "comment", "key": comment_key(comment), "fact": comment.fact.slug,
                    "parent": comment_key(comment.parent) if comment.parent_id else None,
                    "name": comment.name, "url": comment.url, "text": comment.text,
                    "status": comment.status, "created": comment.created.isoformat()}
            if self.include_private:
                data["email"] = comment.email
            emit(data)
        return counts


def comments():
    """Every comment, parents before replies."""
    from dayfacts.comments.models import Comment

    return (Comment.objects.select_related("fact", "parent")
            .order_by("depth", "created", "pk").iterator(chunk_size=2000))


def isoformat(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""
