"""`search()`: the one way the site, the API and anything else searches the facts."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dayfacts.facts.models import Fact, Kind

from .backends import MARK_END, MARK_START, get_backend
from .query import parse

# Markdown that would read as noise in a one-line snippet: link targets, emphasis, headings.
_MARKDOWN_NOISE = re.compile(r"\]\([^)\s]*\)|[*_`#>\[\]]+")


@dataclass
class Hit:
    """One matching fact, with its title and a snippet marked up with <mark> around matches."""

    fact: Fact
    title_html: SafeString
    snippet_html: SafeString
    score: float


class Results:
    """The facts matching a query, best first; sliced like a list, counted with count().

    Slicing runs one ranked query for that slice, so a Paginator over Results reads only
    the page it shows.
    """

    def __init__(self, query, *, kind=None, topic=None, century=None, now=None):
        # One more than ranked, to tell "exactly the limit" from "more than it".
        self.cap = settings.DAYFACTS_SEARCH_RANK_LIMIT + 1
        if kind is not None and kind not in Kind.values:
            raise ValueError(f"Unknown kind {kind!r}; use one of {', '.join(Kind.values)}.")
        if century == 0:
            raise ValueError("There is no century 0.")
        self.query = parse(query)
        self.filters = {"kind": kind, "topic": topic, "century": century,
                        "now": now or timezone.now()}
        self._backend = get_backend()
        self._count = None

    def count(self):
        """How many facts match, up to DAYFACTS_SEARCH_RANK_LIMIT: the ones ranked and paged."""
        return min(self._matches(), self.cap - 1)

    @property
    def more(self):
        """Whether more facts match than are ranked (the reader can narrow the search)."""
        return self._matches() >= self.cap

    def _matches(self):
        if self._count is None:
            self._count = (self._backend.count(self.query, self.filters, self.cap)
                           if self.query else 0)
        return self._count

    def __len__(self):
        return self.count()

    def __bool__(self):
        return self.count() > 0

    def __getitem__(self, key):
        if isinstance(key, int):
            hits = self[key:key + 1]
            if not hits:
                raise IndexError(key)
            return hits[0]
        start, stop = key.start or 0, key.stop
        if key.step not in (None, 1) or start < 0 or stop is None or stop < start:
            raise ValueError("Results take slices like [20:40].")
        stop = min(stop, self.cap - 1)  # the one ranked past the limit only tells there is more
        if not self.query or stop <= start:
            return []
        rows = self._backend.ranked(self.query, self.filters, start, stop - start, self.cap)
        if rows:
            self._count = rows[0][2]
        return self._hits([(pk, score) for pk, score, _ in rows])

    def page(self, number, per_page=20):
        """One page of hits (a Django Page); a bad or too-large number gives the last page."""
        paginator = Paginator(self, per_page)
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        # Fetch the page first: its query counts all matches too, sparing a count query.
        hits = self[(number - 1) * per_page:number * per_page]
        if not hits and number > 1:
            number = paginator.num_pages
            hits = self[(number - 1) * per_page:number * per_page]
        return Page(hits, number, paginator)

    def suggestions(self, limit=3):
        """Queries close to this one, with unknown words replaced, that do find something."""
        words = self.query.words()
        if not words:
            return []
        candidates = {word: self._backend.suggest(word) for word in dict.fromkeys(words)}
        if all(candidates[word][:1] == [word] for word in words):
            return []
        found = []
        for rank in range(3):
            replaced = {word: (options[min(rank, len(options) - 1)] if options else word)
                        for word, options in candidates.items()}
            text = " ".join(replaced[word] for word in words)
            if text in found or text == " ".join(words):
                continue
            if Results(text, **self._filter_arguments()).count():
                found.append(text)
            if len(found) == limit:
                break
        return found

    def _filter_arguments(self):
        return {name: self.filters[name] for name in ("kind", "topic", "century", "now")}

    def _hits(self, ranked):
        ids = [pk for pk, _ in ranked]
        if not ids:
            return []
        facts = Fact.objects.filter(pk__in=ids).prefetch_related("topics").in_bulk()
        marked = self._backend.highlights(self.query, ids)
        hits = []
        for pk, score in ranked:
            if pk not in facts:  # deleted between the two queries
                continue
            title, snippet = marked.get(pk, (facts[pk].title, facts[pk].summary))
            hits.append(Hit(facts[pk], _marked_html(title),
                            _marked_html(_MARKDOWN_NOISE.sub(" ", snippet or "")), score))
        return hits


def _marked_html(text):
    html = escape(" ".join(text.split()))
    return mark_safe(html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def search(query, *, kind=None, topic=None, century=None, now=None):
    """Find published facts matching a reader's query, best first."""
    return Results(query, kind=kind, topic=topic, century=century, now=now)
