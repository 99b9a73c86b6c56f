"""The BSD calendar(1) data files: one dated line per fact, `MM/DD<TAB>text, YEAR`.

What the files hold besides plain lines: C-preprocessor headers and comment blocks,
continuation lines that start with a tab, dates written `May 08`, floating dates
(`01/MonThird`, `07/FriLast`) and variable ones (`03/20*`) whose day changes from year to
year and so cannot be pinned to one calendar day (skipped and counted), and years written
`1757?`, `44BC`, `563 BC`, `(323BC)` or `AD 60`, usually at the end, sometimes inside.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from dayfacts.days import MonthDay
from dayfacts.facts.models import Kind

from ..records import BadInput, FactRecord, Skip
from ..registry import Importer, register

SOURCE_NAME = "BSD calendar files"
LICENCE = "BSD"
ATTRIBUTION = "calendar(1) data, Copyright The Regents of the University of California"

_MONTH_ABBR = {name[:3].lower(): n for n, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(\*?)$")
_NAMED_DATE = re.compile(r"^([A-Za-z]{3})\s+(\d{1,2})(\*?)\t+(.*)$")
# A floating date names a weekday: 01/MonThird, 07/FriLast, 11/Wed+3.
_FLOATING_DATE = re.compile(r"^(\d{1,2})/(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*[+-]?\d*$", re.I)
# A year after a comma or in brackets: ", 1959", ", 1757?", ", 44BC", " (323BC)", ", AD 60".
_BC = r"(?:\s*(?P<bc>B\.?C\.?))?"
_YEAR = re.compile(
    r",\s+(?:(?P<ad>AD)\s*)?(?P<number>\d{1,4})" + _BC + r"(?P<doubt>\?)?(?=\s*[(),.;]|\s*$)"
    r"|\s*\(\s*(?:(?P<ad2>AD)\s*)?(?P<number2>\d{1,4})" + _BC.replace("bc", "bc2")
    + r"\??\)(?=\s*[,.(]|\s*$)"
    # A bare four-digit year closing the line: "born Quincy, Massachusetts 1735".
    r"|[\s.]\s*(?P<number3>1\d{3}|20\d{2})\.?\s*$"
)
_BORN = re.compile(r"\b(born|birthday)\b", re.I)
_DIED = re.compile(r"\b(dies|died|death of)\b", re.I)
_OBSERVANCE = re.compile(r"\b(day|birthday|anniversary|holiday|festival|feast|eve)\b", re.I)
# Topics given by the file a line comes from.
FILE_TOPICS = {"music": ["Music"], "computer": ["Computing"]}


@dataclass
class Line:
    """One entry of a calendar file, its continuation lines joined."""

    path: str
    number: int
    date: str
    text: str
    variable: bool = False
    skipped_reason: str = ""
    month: int = 0
    day: int = 0
    files: list[str] = field(default_factory=list)


def file_label(path) -> str:
    """'history' for calendar.history."""
    name = Path(path).name
    return name.split(".", 1)[1] if name.startswith("calendar.") else name


def entries(path, text) -> list[Line]:
    """The dated entries of one file, with continuation lines joined and comments dropped."""
    found: list[Line] = []
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if in_comment:
            in_comment = "*/" not in line
            continue
        if line.lstrip().startswith("/*"):
            in_comment = "*/" not in line
            continue
        if not line.strip() or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        if line[0] in " \t":
            if found:
                found[-1].text = f"{found[-1].text} {line.strip()}"
            continue
        named = _NAMED_DATE.match(line)
        if named:
            month = _MONTH_ABBR.get(named.group(1).lower())
            if month is None:
                raise BadInput(path, f"line {number}", f"unknown month {named.group(1)!r}")
            found.append(Line(str(path), number, line.split("\t", 1)[0], named.group(4).strip(),
                              variable=bool(named.group(3)), month=month,
                              day=int(named.group(2))))
            continue
        date, _, rest = line.partition("\t")
        date = date.strip()
        entry = Line(str(path), number, date, rest.strip())
        numeric = _NUMERIC_DATE.match(date)
        if numeric:
            entry.month, entry.day = int(numeric.group(1)), int(numeric.group(2))
            entry.variable = bool(numeric.group(3))
        elif _FLOATING_DATE.match(date):
            entry.skipped_reason = "floating date (a weekday of the month)"
        else:
            raise BadInput(path, f"line {number}",
                           f"not a calendar line (expected MM/DD, a tab and text): {line[:60]!r}")
        found.append(entry)
    return found


def parse_year(text) -> tuple[int | None, str]:
    """The year a line gives, and the text without it."""
    for match in _YEAR.finditer(text):
        number = int(match.group("number") or match.group("number2") or match.group("number3"))
        bc = match.group("bc") or match.group("bc2")
        era = bc or match.group("ad") or match.group("ad2")
        at_end = not text[match.end():].strip(" .")
        # Small numbers are years only with an era or alone at the end ("Nero dies, 68").
        if number == 0 or (number < 100 and not era and not at_end):
            continue
        year = -number if bc else number
        rest = (text[: match.start()] + text[match.end():]).strip()
        rest = re.sub(r"\s+([,;])", r"\1", rest).strip(" ,.;")
        rest = re.sub(r"\s{2,}", " ", rest)
        return year, rest
    return None, text.strip().rstrip(".")


def classify(label, text, year) -> str:
    """The kind of a line, by its file and its wording."""
    if label.startswith("holiday") or (year is None and _OBSERVANCE.search(text)):
        return Kind.HOLIDAY
    if _BORN.search(text):
        return Kind.BIRTH
    if _DIED.search(text):
        return Kind.DEATH
    return Kind.EVENT


def normalise(text) -> str:
    """The words of a line, for spotting one fact written twice in two files."""
    text = re.sub(r"\b(is|was|the|a|an|in)\b", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def read_files(paths):
    """Parse calendar files into records, merging facts that stand in several files.

    Returns (records, skips, duplicates): `skips` lists floating and variable dates.
    """
    merged: dict[tuple, FactRecord] = {}
    similar: dict[tuple, FactRecord] = {}
    skips: list[Skip] = []
    duplicates = 0
    for path in paths:
        label = file_label(path)
        text = read_text(path)
        for entry in entries(path, text):
            place = f"{Path(path).name}, line {entry.number}"
            if entry.skipped_reason or entry.variable:
                reason = entry.skipped_reason or "variable date (marked *)"
                skips.append(Skip(reason, place, classify(label, entry.text, None), entry.text))
                continue
            try:
                MonthDay(entry.month, entry.day)
            except ValueError as error:
                raise BadInput(path, f"line {entry.number}", str(error)) from None
            if not entry.text:
                raise BadInput(path, f"line {entry.number}", "the line has a date but no text")
            year, title = parse_year(entry.text)
            kind = classify(label, entry.text, year)
            identity = (entry.month, entry.day, year, normalise(title))
            # Two files often name one birth or death in other words: "Giacomo Puccini
            # born" and "Giacomo Puccini is born in Lucca, Italy"; same day, year, kind and
            # first two words make one fact, told in the longer wording.
            near = (entry.month, entry.day, year, kind, *normalise(title).split()[:2])
            person = year is not None and kind in (Kind.BIRTH, Kind.DEATH)
            record = merged.get(identity) or (person and similar.get(near))
            if record:
                duplicates += 1
                record.topics = sorted({*record.topics, *FILE_TOPICS.get(label, [])})
                if len(title) > len(record.title):
                    record.title = record.summary = title
                continue
            # The key must not depend on which file was read first: a person's birth or
            # death is keyed by what the merge compares.
            digest = hashlib.sha1(" ".join(map(str, near if person else identity)).encode())
            digest = digest.hexdigest()[:20]
            merged[identity] = FactRecord(
                key=f"{entry.month:02d}-{entry.day:02d}/{digest}",
                month=entry.month, day=entry.day, year=year, kind=kind,
                title=title, summary=title, topics=list(FILE_TOPICS.get(label, [])),
                source_name=SOURCE_NAME, licence=LICENCE, attribution=ATTRIBUTION,
                place=place,
            )
            if person:
                similar[near] = merged[identity]
    return list(merged.values()), skips, duplicates


def read_text(path) -> str:
    """A calendar file as text; the files are UTF-8 (older ones plain ASCII)."""
    return BSDImporter().read_text(path)


@register
class BSDImporter(Importer):
    name = "bsd"
    help = "BSD calendar(1) data files (calendar.history, ...); folders give calendar.* files."
    suffixes = ("calendar.history", "calendar.birthday", "calendar.music", "calendar.computer",
                "calendar.holiday", "calendar.usholiday")

    def inputs(self, paths):
        """All files at once: a fact standing in two files is merged into one."""
        return [tuple(super().inputs(paths))]

    def read(self, path):
        """Yield the records of the calendar files, then what was skipped."""
        records, skips, duplicates = read_files(path)
        yield from records
        yield from skips
        for _ in range(duplicates):
            yield Skip("same fact in another file (merged)")
