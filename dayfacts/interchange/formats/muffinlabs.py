"""history.muffinlabs.com's day files: Wikipedia's on-this-day lists scraped from the date
pages, read with the Wikipedia format's text cleaning (formats/wikipedia.py).

The scraped files are dirty (see `wikipedia.read_year` and `year_and_text` below); an item
that cannot be read is reported with its file, section and index and the import goes on.
"""

from __future__ import annotations

import re
from pathlib import Path

from dayfacts.days import MonthDay
from dayfacts.facts.models import Kind

from ..records import BadInput, FactRecord, Skip
from ..registry import Importer, register
from .wikipedia import (
    SOURCE_NAME,
    clean_text,
    day_from_name,
    item_key,
    load_json,
    read_year,
    shorten,
)

SECTIONS = {"Events": Kind.EVENT, "Births": Kind.BIRTH, "Deaths": Kind.DEATH}
# A broken item holds the whole line in `year`: "2018 –Michael Atiyah, ..." or "1926\nTokelau".
_WHOLE_LINE = re.compile(r"^\s*(\d{1,4}(?:\s*BCE?)?)\s*(?:[–—-]|\n)\s*(.*?)\s*$", re.S)


@register
class MuffinlabsImporter(Importer):
    name = "muffinlabs"
    help = ("history.muffinlabs.com day files ({date, url, data: {Events, Births, Deaths}}); "
            "folders give *.json.")
    suffixes = (".json",)
    licence = "CC BY-SA 3.0"
    attribution = "Wikipedia contributors, via history.muffinlabs.com"

    def read(self, path):
        """Yield a record per readable item, a reported skip per unreadable one."""
        document = load_json(self, path)
        if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
            raise BadInput(path, "", "not a muffinlabs day file (no {\"data\": {...}} object)")
        try:
            day = MonthDay.parse(document.get("date") or "")
        except ValueError:
            day = day_from_name(path)
        name = Path(path).name
        source_url = document.get("url") or ""
        for section, items in document["data"].items():
            kind = SECTIONS.get(section)
            if kind is None or not isinstance(items, list):
                yield Skip(f"unknown section {section!r}", name, "", section, reported=True)
                continue
            group_year = None
            for index, item in enumerate(items):
                place = f"{name}, {section}, item {index}"
                try:
                    year, text, group_year = self.year_and_text(item, group_year)
                except ValueError as error:
                    yield Skip("cannot be read", place, kind, str(error), reported=True)
                    continue
                yield FactRecord(
                    key=item_key(day, kind, year, text), month=day.month, day=day.day,
                    year=year, kind=kind, title=shorten(text), summary=text,
                    source_name=SOURCE_NAME, source_url=source_url, licence=self.licence,
                    attribution=self.attribution, place=place,
                )

    @staticmethod
    def year_and_text(item, group_year=None):
        """The year and text of one item, and the year a group of items below it shares.

        The scraper breaks some lines: the whole line sits in `year` ("2018 –Michael
        Atiyah, ...", "1926\nTokelau is annexed"), and the members of a group ("1986 Space
        Shuttle Challenger crew" with one line per person) come without year or text; they
        take the group's year.
        """
        if not isinstance(item, dict):
            raise ValueError("the item is not an object")
        raw_year, text = item.get("year"), item.get("text")
        if not text:
            whole = _WHOLE_LINE.match(raw_year) if isinstance(raw_year, str) else None
            if whole:
                raw_year, text = whole.groups()
            elif isinstance(raw_year, str) and raw_year.strip() and group_year is not None:
                return group_year, clean_text(raw_year.strip().lstrip("-–— ")), group_year
            else:
                raise ValueError(f"no year and text in {str(raw_year)[:60]!r}")
        cleaned = clean_text(text) if isinstance(text, str) else ""
        if not cleaned:
            raise ValueError(f"no text after the year {raw_year!r}")
        try:
            year = read_year(raw_year)
        except ValueError:
            raise ValueError(f"the year {str(raw_year)[:60]!r} is not one year") from None
        heading, newline, _ = text.strip().partition("\n")
        if newline:
            return year, clean_text(heading), year
        return year, cleaned, None
