"""Wikipedia's on-this-day lists: the REST `feed/onthisday` JSON (files, or fetched), and
the cleaning of Wikipedia's item text that it shares with the scraped history.muffinlabs.com
day files (formats/muffinlabs.py).

Both are text written by Wikipedia's contributors under CC BY-SA: every fact keeps the
licence, an attribution and a link, and the fact templates print them wherever it is shown.
The scraped files are dirty (see `read_year`); an item that cannot be read is reported with
its file, section and index and the import goes on.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import importlib.metadata
import json
import re
import time
from pathlib import Path

from django.conf import settings

from dayfacts.days import MonthDay, parse_year
from dayfacts.facts.models import Kind

from ..records import BadInput, FactRecord, Skip
from ..registry import Importer, register

SOURCE_NAME = "Wikipedia"
TITLE_MAX = 300
FEED_SECTIONS = {"selected": Kind.EVENT, "events": Kind.EVENT, "births": Kind.BIRTH,
                 "deaths": Kind.DEATH, "holidays": Kind.HOLIDAY}
# Items Wikipedia's editors picked for the main page lead their day's events.
SELECTED_NOTABILITY = 10

_CITATION = re.compile(r"\s*\[(?:\d+|[a-z]|note \d+|citation needed|nb \d+)\]", re.I)
_CALENDAR_NOTE = re.compile(r"\s*\((?:O\.?\s?S\.?|N\.?\s?S\.?)(?:[^)]*)\)$", re.I)
_ALTERNATIVES = re.compile(r"\s*(?:\(or [^)]*\)|or \d.*|/\d.*)$", re.I)
_APPROXIMATE = re.compile(r"^(?:c\.|ca\.|circa)\s*", re.I)
_BLANKS = re.compile(r"\s+")
_NEGATIVE = re.compile(r"-\d{1,4}")


def clean_text(text: str) -> str:
    """Drop citation marks and runs of blanks."""
    text = _CITATION.sub("", text.replace("\xa0", " "))
    return _BLANKS.sub(" ", text).strip()


def read_year(raw) -> int:
    """Read the scraped year strings: '1431', '46 BC', '27 BCE', '4 AD', '2013.', '1685[5]',
    '1425 (or 1426)', '543 or 547', '1093/1094', '1882 (O.S. 27 March)', '1642 (OS)'.

    A year with alternatives is taken as its first; 'before 160' raises ValueError.
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        if raw == 0:
            raise ValueError("there is no year 0")
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"the year is {raw!r}")
    if raw.isdigit() and raw.isascii() and int(raw):  # most of them: '1431'
        return int(raw)
    text = clean_text(raw).rstrip(".").strip()
    text = _CALENDAR_NOTE.sub("", text)
    text = _ALTERNATIVES.sub("", text)
    text = _APPROXIMATE.sub("", text).strip()
    if _NEGATIVE.fullmatch(text):
        return int(text)
    return parse_year(text)


def shorten(text, limit=TITLE_MAX):
    """A title from a text: whole if it fits, else cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def item_key(day, kind, year, text):
    """A key that stays the same for the same item on every run."""
    digest = hashlib.sha1(f"{year}|{text}".encode()).hexdigest()[:20]
    return f"{day.numeric}/{kind}/{digest}"


def day_from_name(path) -> MonthDay:
    """The day a file is about, from a name like 03-20.json."""
    try:
        return MonthDay.parse(Path(path).stem)
    except ValueError:
        raise BadInput(path, "", "cannot tell the day: name the file MM-DD.json") from None


def load_json(importer, path):
    """A file's JSON, or BadInput naming the line and column of the fault."""
    text = importer.read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(path, f"line {error.lineno}, column {error.colno}",
                       f"not valid JSON ({error.msg})") from None


@register
class WikipediaImporter(Importer):
    name = "wikipedia"
    help = ("Wikipedia's REST feed/onthisday JSON: files named MM-DD.json or folders of them, "
            "or fetched from Wikipedia with --days.")
    suffixes = (".json",)
    licence = "CC BY-SA 4.0"
    attribution = "Wikipedia contributors"
    api_url = "https://{lang}.wikipedia.org/api/rest_v1/feed/onthisday/all/{month:02d}/{day:02d}"

    @classmethod
    def add_arguments(cls, parser):
        group = parser.add_argument_group("wikipedia")
        group.add_argument("--days", help="(wikipedia) Fetch these days instead of reading "
                                          "files: 03-20, 03-20..03-22, a comma list, or all.")
        group.add_argument("--lang", default="en", help="(wikipedia) Wikipedia's language.")
        group.add_argument("--pause", type=float, default=1.0,
                           help="(wikipedia) Seconds between requests (default 1).")
        group.add_argument("--retries", type=int, default=5,
                           help="(wikipedia) Attempts per day on 429, 5xx or network errors.")
        group.add_argument("--api-url", default=cls.api_url,
                           help="(wikipedia) The feed's URL template, for a mirror.")

    def inputs(self, paths):
        """The days to fetch with --days, else the files given."""
        if self.options.get("days"):
            if paths:
                raise BadInput(paths[0], "", "give either files or --days, not both")
            return parse_days(self.options["days"])
        return super().inputs(paths)

    def label(self, unit):
        return unit.numeric if isinstance(unit, MonthDay) else super().label(unit)

    def read(self, unit):
        """Yield the records of one day's feed, from a file or from Wikipedia."""
        if isinstance(unit, MonthDay):
            day, document, place = unit, self.fetch(unit), self.url(unit)
        else:
            day, document, place = day_from_name(unit), load_json(self, unit), Path(unit).name
        if not isinstance(document, dict) or not set(document) & set(FEED_SECTIONS):
            raise BadInput(place, "", "not an onthisday feed (no events, births, deaths, "
                                      "holidays or selected list)")
        lang = self.options.get("lang") or "en"
        day_page = f"https://{lang}.wikipedia.org/wiki/{day.month_name}_{day.day}"
        for section, kind in FEED_SECTIONS.items():
            items = document.get(section) or []
            for index, item in enumerate(items):
                where = f"{place}, {section}, item {index}"
                try:
                    record = self.record(day, kind, item, day_page)
                except ValueError as error:
                    yield Skip("cannot be read", where, kind, str(error), reported=True)
                    continue
                record.place = where
                if section == "selected":
                    record.notability = SELECTED_NOTABILITY
                yield record

    def record(self, day, kind, item, day_page):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError("the item has no text")
        text = clean_text(item["text"])
        if not text:
            raise ValueError("the item's text is empty")
        year = None
        if kind != Kind.HOLIDAY or item.get("year") is not None:
            if item.get("year") is None:
                raise ValueError("the item has no year")
            year = read_year(item["year"])
        pages = item.get("pages") or []
        url = day_page
        if pages and isinstance(pages[0], dict):
            url = ((pages[0].get("content_urls") or {}).get("desktop") or {}).get("page") or url
        return FactRecord(
            key=item_key(day, kind, year, text), month=day.month, day=day.day, year=year,
            kind=kind, title=shorten(text), summary=text, source_name=SOURCE_NAME,
            source_url=url, licence=self.licence, attribution=self.attribution,
        )

    # Fetching ----------------------------------------------------------------------------

    def url(self, day):
        return self.options.get("api_url", self.api_url).format(
            lang=self.options.get("lang") or "en", month=day.month, day=day.day)

    def fetch(self, day):
        """One day's feed from Wikipedia: paced, with retries that honour Retry-After."""
        import httpx

        url, attempts = self.url(day), max(1, self.options.get("retries", 5))
        client = self._client()
        for attempt in range(1, attempts + 1):
            self._pace()
            try:
                response = client.get(url)
            except httpx.TransportError as error:
                if attempt == attempts:
                    raise BadInput(url, "", f"could not be fetched: {error}") from None
                self._sleep(min(2 ** attempt, 60))
                continue
            if response.status_code == 200:
                try:
                    return response.json()
                except ValueError:
                    raise BadInput(url, "", "the answer is not JSON") from None
            retryable = response.status_code == 429 or response.status_code >= 500
            if not retryable or attempt == attempts:
                raise BadInput(url, "", f"HTTP {response.status_code} after {attempt} "
                                        f"attempt{'s' if attempt > 1 else ''}")
            self._sleep(retry_after(response.headers.get("Retry-After"), 2 ** attempt))
        raise AssertionError("unreachable")

    def close(self):
        if getattr(self, "client", None) is not None:
            self.client.close()

    def _client(self):
        import httpx

        if getattr(self, "client", None) is None:
            self.client = httpx.Client(
                headers={"User-Agent": user_agent(), "Accept": "application/json"},
                timeout=30, follow_redirects=True,
            )
        return self.client

    def _pace(self):
        # Wikimedia asks API clients to keep to a modest request rate; one request per
        # `--pause` seconds keeps a whole year's fetch polite.
        last = getattr(self, "_last_request", None)
        pause = self.options.get("pause", 1.0)
        if last is not None and pause:
            wait = last + pause - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_request = time.monotonic()

    def _sleep(self, seconds):
        time.sleep(seconds)


def retry_after(value, default, limit=300):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped."""
    if value:
        value = value.strip()
        if value.isdigit():
            return min(int(value), limit)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, min((when - dt.datetime.now(dt.UTC)).total_seconds(), limit))
        except (TypeError, ValueError):
            pass
    return min(default, limit)


def user_agent():
    """A User-Agent that says who is asking and how to reach them, as Wikimedia asks."""
    try:
        version = importlib.metadata.version("dayfacts")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    contact = getattr(settings, "DEFAULT_FROM_EMAIL", "")
    return f"dayfacts/{version} ({settings.SITE_URL}; {contact}) on-this-day importer"


def parse_days(text) -> list[MonthDay]:
    """Read '03-20', '03-20..03-22', 'march/20,march/22' or 'all' (ranges may wrap the year)."""
    if text.strip().lower() == "all":
        return MonthDay.all()
    days = []
    for part in text.split(","):
        first, _, last = part.strip().partition("..")
        try:
            start = MonthDay.parse(first)
            end = MonthDay.parse(last) if last else start
        except ValueError as error:
            raise BadInput("--days", "", str(error)) from None
        day = start
        days.append(day)
        while day != end:
            day = day.next
            days.append(day)
    return days
