"""What importers produce: plain records, written to the database by one loader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The fields a record sets on its fact, compared to tell "unchanged" from "changed at source".
FIELDS = ["month", "day", "year", "kind", "title", "summary", "body", "source_name",
          "source_url", "licence", "attribution", "featured", "notability", "status"]


@dataclass
class CommentRecord:
    """A comment on an imported fact; `parent_key` names the comment it answers."""

    key: str
    name: str
    text: str
    email: str = ""
    url: str = ""
    status: str = "approved"
    created: dt.datetime | None = None
    parent_key: str | None = None
    place: str = ""


@dataclass
class FactRecord:
    """One fact as a source gives it, before it meets the database.

    `key` is stable across runs of the same source; `slug`, `status` and `publish_at`
    are optional (the loader derives a slug from the title, publishes, and keeps the
    time of the first import).
    """

    key: str
    month: int
    day: int
    kind: str
    title: str
    year: int | None = None
    summary: str = ""
    body: str = ""
    topics: list[str] = field(default_factory=list)
    source_name: str = ""
    source_url: str = ""
    licence: str = ""
    attribution: str = ""
    featured: bool = False
    notability: int = 0
    slug: str = ""
    status: str = "published"
    publish_at: dt.datetime | None = None
    # Kept from an export so that a restored site says what the original said.
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    comments: list[CommentRecord] = field(default_factory=list)
    place: str = ""


@dataclass
class TopicRecord:
    """A topic with its description (facts name their topics; this adds the rest)."""

    name: str
    slug: str = ""
    description: str = ""
    place: str = ""


@dataclass
class Skip:
    """Something in the input deliberately not imported (a page, a floating date...)."""

    reason: str
    place: str = ""
    kind: str = ""
    detail: str = ""
    # Listed one by one in the report (input that could not be read), not only counted.
    reported: bool = False


@dataclass
class Note:
    """Something the report should say about a record that was read all the same."""

    place: str
    message: str

    def __str__(self):
        return f"{self.place}: {self.message}"


@dataclass
class Problem:
    """Input that could not be read as the format says: reported with file and place."""

    path: str
    place: str
    message: str

    def __str__(self):
        where = f"{self.path}, {self.place}" if self.place else self.path
        return f"{where}: {self.message}"


class BadInput(Exception):
    """A file that cannot be imported as asked; the message names the file and the place."""

    def __init__(self, path, place, message):
        self.problem = Problem(str(path), place, message)
        super().__init__(str(self.problem))
