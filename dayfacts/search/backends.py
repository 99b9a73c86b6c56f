"""The two full-text backends behind `dayfacts.search.search()`.

Each answers the same four questions in its database's own words: how many facts match,
which ones rank highest, where the words are in them, and which known words are near a
word that matched nothing. Highlights come back wrapped in MARK_START/MARK_END (private-use
characters no real text contains) so the caller can escape the text before marking it up.
"""

import difflib
import time

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from dayfacts.days.centuries import century_years
from dayfacts.facts.models import Fact

MARK_START, MARK_END = "\ue000", "\ue001"


def condition(facts, alias):
    """The filters of a queryset of facts, as SQL on `alias`: a table with the same columns."""
    query = facts.query.chain()
    query.change_aliases({query.get_initial_alias(): alias})
    return query.get_compiler(connection=connection).compile(query.where)


class Backend:
    # Both backends keep the fact's id, status, publish_at, kind, year and notability beside
    # the index under the alias f (search.0002), so no search reads the facts table; the
    # facts' own queryset words are read on that copy.
    id_column = "f.id"

    def filters(self, filters):
        """SQL conditions on alias f for who may see a fact and for the reader's filters."""
        facts = Fact.objects.published(filters["now"])
        if filters.get("kind"):
            facts = facts.of_kind(filters["kind"])
        if filters.get("century"):
            facts = facts.between_years(*century_years(filters["century"]))
        where, params = condition(facts, "f")
        if filters.get("topic"):
            where += (f" AND EXISTS (SELECT 1 FROM facts_fact_topics ft JOIN facts_topic t ON"
                      f" t.id = ft.topic_id WHERE ft.fact_id = {self.id_column}"
                      " AND t.slug = %s)")
            params = [*params, filters["topic"]]
        return where, params

    def fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, query, filters, cap):
        """How many facts match, counting no further than `cap`."""
        source, params = self.matching(query, filters)
        return self.fetch(f"SELECT count(*) FROM (SELECT 1 {source} LIMIT %s) AS matches",
                          [*params, cap])[0][0]

    def ranked(self, query, filters, offset, limit, cap):
        """(fact id, score, number of matches ranked) of one page of matches, best first.

        Only the first `cap` matches in the index's own order are ranked: scoring and
        filtering every match of a common word (60,000 of "coast" in a million facts)
        took more time than the rest of the page. The count rides along as a window over
        the same scan, so a page costs one pass.
        """
        source, params = self.matching(query, filters)
        # SQLite runs FTS5's ranking functions only outside a window query: nest them.
        return self.fetch(
            f"SELECT id, score, count(*) OVER () FROM (SELECT {self.id_column} AS id,"
            " f.notability AS n,"
            f" {self.score} AS score {source} LIMIT %s) AS matches"
            f" ORDER BY score {self.score_order}, n DESC, id LIMIT %s OFFSET %s",
            [*params, cap, limit, offset],
        )


class SQLiteBackend(Backend):
    # bm25 weights per column: title, summary, body, topics. Lower scores rank higher.
    score = "bm25(search_fts, 10.0, 4.0, 1.0, 5.0)"
    score_order = "ASC"

    def matching(self, query, filters):
        where, params = self.filters(filters)
        return (
            "FROM search_fts CROSS JOIN search_meta f ON f.id = search_fts.rowid"
            f" WHERE search_fts MATCH %s AND {where}",
            [query.fts5(), *params],
        )

    def highlights(self, query, ids):
        marks = f"'{MARK_START}', '{MARK_END}'"
        rows = self.fetch(
            f"SELECT rowid, highlight(search_fts, 0, {marks}),"
            f" snippet(search_fts, 1, {marks}, '…', 24), snippet(search_fts, 2, {marks}, '…', 24)"
            " FROM search_fts WHERE search_fts MATCH %s AND rowid IN"
            f" ({', '.join(['%s'] * len(ids))})",
            [query.fts5(), *ids],
        )
        result = {}
        for pk, title, summary, body in rows:
            snippet = body if MARK_START in body and MARK_START not in summary else summary
            result[pk] = (title, snippet or body)
        return result

    # Reading the whole vocabulary walks every posting list in the index, work that grows
    # with the facts, so the wide pass reuses a copy for a few minutes.
    VOCABULARY_SECONDS = 300
    _vocabulary = (0.0, [])

    def suggest(self, word):
        if self.fetch("SELECT 1 FROM search_vocab WHERE term = %s", [word]):
            return [word]
        near = [term for (term,) in self.fetch(
            "SELECT term FROM search_vocab WHERE term >= %s AND term < %s",
            [word[0], word[0] + "\U0010ffff"])]
        # Most misspellings keep the first letter; only when that finds nothing look wider.
        for terms in (near, self.vocabulary()):
            close = difflib.get_close_matches(
                word, [t for t in terms if abs(len(t) - len(word)) <= 2], n=3, cutoff=0.7)
            if close:
                return close
        return []

    def vocabulary(self):
        expires, terms = SQLiteBackend._vocabulary
        if time.monotonic() > expires:
            terms = [term for (term,) in self.fetch("SELECT term FROM search_vocab", [])]
            SQLiteBackend._vocabulary = (time.monotonic() + self.VOCABULARY_SECONDS, terms)
        return terms


class PostgresBackend(Backend):
    # Normalisation 1 divides by the log of the length, so a word in a short title counts
    # for more than the same word deep in a long article.
    score = "ts_rank(f.document, q, 1)"
    id_column = "f.fact_id"
    score_order = "DESC"

    def matching(self, query, filters):
        where, params = self.filters(filters)
        return (
            "FROM search_document f, websearch_to_tsquery('english', %s) q"
            f" WHERE f.document @@ q AND {where}",
            [query.websearch(), *params],
        )

    def highlights(self, query, ids):
        marks = f"StartSel={MARK_START}, StopSel={MARK_END}"
        rows = self.fetch(
            f"SELECT f.id, ts_headline('english', f.title, q, 'HighlightAll=true, {marks}'),"
            " ts_headline('english', f.summary || E'\\n' || f.body, q,"
            f" 'MaxFragments=2, MinWords=8, MaxWords=24, FragmentDelimiter=\" … \", {marks}')"
            " FROM facts_fact f, websearch_to_tsquery('english', %s) q WHERE f.id = ANY(%s)",
            [query.websearch(), list(ids)],
        )
        return {pk: (title, snippet) for pk, title, snippet in rows}

    def suggest(self, word):
        return [term for (term,) in self.fetch(
            "SELECT word FROM search_word WHERE word %% %s"
            " ORDER BY similarity(word, %s) DESC, word LIMIT 3", [word, word])]


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def get_backend():
    """The backend for the default database."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"dayfacts search runs on SQLite or PostgreSQL, not {connection.vendor}."
        ) from None
