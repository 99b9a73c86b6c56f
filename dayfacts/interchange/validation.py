"""The models' own field checks, run on every imported record before it is written.

The loader writes with bulk inserts, which skip model validation: here each value a record
sets goes through its model field's `clean()` (choices, lengths, web-only addresses, slugs,
number ranges...), so an import stores nothing the admin would refuse. Uniqueness is left
to the loader, which makes slugs unique and matches keys before it inserts.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from dayfacts.comments.models import Comment
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Status, Topic

from .comments import CommentLoader
from .models import CommentOrigin, FactOrigin
from .records import FIELDS, BadInput, CommentRecord, FactRecord, TopicRecord

_UNSET = object()
# Forms refuse a NUL character in text, and PostgreSQL cannot store one.
no_nul = ProhibitNullCharactersValidator()


class FieldCheck:
    """Clean values with one model's fields; `blank` names those an import may leave empty."""

    def __init__(self, model, names, *, blank=()):
        self.fields = {name: model._meta.get_field(name) for name in names}
        self.blank = frozenset(blank)
        # The last value met per field and its cleaned form: a source repeats its licence,
        # its attribution and often its address record after record, and an address costs
        # a regular expression to check.
        self.last: dict[str, tuple] = {}

    def clean(self, values: dict) -> dict:
        """Return `values` as the fields store them; ValueError names a field it refuses."""
        cleaned = {}
        for name, value in values.items():
            last = self.last.get(name, (_UNSET, None))
            if type(value) is type(last[0]) and value == last[0]:
                cleaned[name] = last[1]
                continue
            field = self.fields[name]
            if name in self.blank and value in field.empty_values:
                cleaned[name] = value
                continue
            try:
                cleaned[name] = field.clean(value, None)
                if isinstance(cleaned[name], str):
                    no_nul(cleaned[name])
            except ValidationError as error:
                raise ValueError(describe(name, value, field, error)) from None
            self.last[name] = (value, cleaned[name])
        return cleaned


def describe(name, value, field, error) -> str:
    """Say which field refused which value, and why, in the model's words."""
    shown = str(value)
    shown = repr(shown if len(shown) <= 60 else shown[:59] + "…")
    message = " ".join(dict.fromkeys(error.messages))  # two URL validators, one complaint
    if any(e.code == "invalid_choice" for e in error.error_list):
        message += f" Choose one of: {', '.join(str(key) for key, _ in field.flatchoices)}."
    return f"{name} {shown}: {message}"


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
        if record.status == Status.IMPORTING:
            # The loader's own mark for rows of a run in progress, not a state to import.
            raise BadInput(place, "", f"status {record.status!r} is not one to import; "
                           "use published, scheduled or draft")
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
