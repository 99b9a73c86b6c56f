"""The starter almanac the package ships: the BSD calendar files and the featured articles.

`dayfacts load_almanac` (and `make run` on an empty database) loads it; loading twice
changes nothing, because every fact keeps its origin key.
"""

import json
from pathlib import Path

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind

from .formats import bsd
from .loader import Loader
from .records import BadInput, FactRecord
from .stats import Stats

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CALENDAR_DIR = DATA_DIR / "bsd-calendar"
CALENDAR_FILES = ["history", "birthday", "music", "computer", "holiday"]
FEATURED_FILE = DATA_DIR / "featured.json"
KINDS = list(Kind.values)
FEATURED_FIELDS = {"month", "day", "year", "kind", "title", "slug", "summary", "body", "topics"}


def calendar_paths(folder=CALENDAR_DIR):
    """The calendar files the almanac is made of, in the order they are read."""
    return [Path(folder) / f"calendar.{name}" for name in CALENDAR_FILES]


def featured_records(path=FEATURED_FILE):
    """The featured articles as records; none while the file does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadInput(path, getattr(error, "lineno", "") and f"line {error.lineno}",
                       f"not valid JSON: {error}") from None
    if not isinstance(items, list):
        raise BadInput(path, "", "expected a JSON list of articles")
    records = []
    for index, item in enumerate(items):
        missing = FEATURED_FIELDS - set(item) if isinstance(item, dict) else FEATURED_FIELDS
        if missing:
            raise BadInput(path, f"item {index}", f"missing {', '.join(sorted(missing))}")
        records.append(FactRecord(
            key=item["slug"], slug=item["slug"], month=item["month"], day=item["day"],
            year=item["year"], kind=item["kind"], title=item["title"],
            summary=item["summary"], body=item["body"], topics=list(item["topics"]),
            featured=bool(item.get("featured", True)),
            notability=int(item.get("notability", 100)),
            source_name=item.get("source_name", ""), source_url=item.get("source_url", ""),
            licence=item.get("licence", ""), attribution=item.get("attribution", ""),
            place=f"{path.name}, item {index}",
        ))
    return records


def load_almanac(calendar_dir=CALENDAR_DIR, featured_file=FEATURED_FILE, update=False) -> Stats:
    """Load the calendar files, then the featured articles: two import runs. A featured
    file that cannot be read stops it before anything is written."""
    articles = featured_records(featured_file)
    stats = Stats()
    with Loader(bsd.BSDImporter.name, stats=stats, update=update, what="the almanac's calendar",
                inputs=1) as calendar:
        calendar.load(bsd.BSDImporter().read(tuple(calendar_paths(calendar_dir))))
    with Loader("almanac", match_slug=True, stats=stats, update=update,
                what="the almanac's featured articles", inputs=1) as featured:
        featured.load(articles)
    return stats


def empty_days():
    """The days of the year with nothing published to show."""
    filled = set(Fact.objects.published().values_list("month", "day").distinct())
    return [day for day in MonthDay.all() if (day.month, day.day) not in filled]

