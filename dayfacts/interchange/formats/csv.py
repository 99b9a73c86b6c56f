"""CSV of facts: one fact a row, the columns listed in docs/import-export.md.

Only month, day and title are required; `topics` holds names separated by "|".
Spreadsheet programs read and write it, which is what makes it worth having beside JSON
Lines.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dayfacts.days import format_year, parse_year
from dayfacts.facts.models import Fact

from ..records import BadInput, Problem
from ..registry import Exporter, Importer, register
from .jsonl import FACT_FIELDS, fact_object, fact_record

REQUIRED = {"month", "day", "title"}
TOPIC_SEPARATOR = "|"
TRUE = {"1", "true", "yes", "y", "on"}


@register
class CSVImporter(Importer):
    name = "csv"
    help = "CSV of facts with a header row (month, day, title, and optional columns)."
    suffixes = (".csv",)
    match_slug = True

    def read(self, path):
        """Yield a record per row; a bad row is a problem naming its line and column."""
        text = self.read_text(path)
        name = Path(path).name
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        try:
            header = reader.fieldnames or []
        except csv.Error as error:
            raise BadInput(path, "line 1", f"not CSV ({error})") from None
        missing = REQUIRED - set(header)
        if missing:
            raise BadInput(path, "line 1", "not a facts CSV: the header lacks "
                           + ", ".join(sorted(missing)) + f" (it has {', '.join(header)[:80]})")
        unknown = set(header) - set(FACT_FIELDS)
        if unknown:
            raise BadInput(path, "line 1", f"unknown columns {', '.join(sorted(unknown))}")
        while True:
            # A quoted value may hold line breaks: a row is named by the line it starts on.
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise BadInput(path, f"line {reader.line_num}",
                               f"not valid CSV ({error})") from None
            place = f"line {start}"
            if None in row or None in row.values():
                yield Problem(name, place, f"{len(header)} columns expected")
                continue
            try:
                yield fact_record(row_data(row), f"{name}, {place}")
            except ValueError as error:
                yield Problem(name, place, str(error))


def row_data(row) -> dict:
    """A CSV row as the fields a fact record takes."""
    data = {key: value.strip() if key != "body" else value for key, value in row.items()}
    if data.get("year"):
        try:
            year = data["year"]
            data["year"] = int(year) if year.lstrip("-").isdigit() else parse_year(year)
        except ValueError:
            raise ValueError(f"column year: {data['year']!r} is not a year") from None
    data["topics"] = [t.strip() for t in data.get("topics", "").split(TOPIC_SEPARATOR)
                      if t.strip()]
    data["featured"] = data.get("featured", "").lower() in TRUE
    return data


@register
class CSVExporter(Exporter):
    name = "csv"
    help = "Facts as CSV, one a row (no comments)."
    suffix = ".csv"

    def write(self, stream):
        """Write a header and one row per fact."""
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        writer = csv.DictWriter(text, fieldnames=FACT_FIELDS)
        writer.writeheader()
        count = 0
        facts = Fact.objects.order_by("month", "day", "pk").prefetch_related("topics")
        for fact in facts.iterator(chunk_size=2000):
            row = fact_object(fact)
            row["topics"] = TOPIC_SEPARATOR.join(row["topics"])
            row["year"] = format_year(fact.year)
            row["featured"] = "true" if fact.featured else "false"
            writer.writerow(row)
            count += 1
        text.detach()
        return {"fact": count}
