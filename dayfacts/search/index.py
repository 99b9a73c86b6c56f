"""The search index's upkeep. Triggers keep it right row by row; rebuild() starts it afresh.

Call rebuild() after loading facts by a path that skips the triggers (a database restore,
or a load run inside `paused()`), or from the command line: `dayfacts search reindex`.
"""

from contextlib import contextmanager

from django.db import connection, transaction

from .backends import get_backend

TOPIC_NAMES = """LEFT JOIN (SELECT ft.fact_id, {aggregate} AS names FROM facts_fact_topics ft
    JOIN facts_topic t ON t.id = ft.topic_id GROUP BY ft.fact_id) tp ON tp.fact_id = f.id"""

SQLITE_REBUILD = [
    "DELETE FROM search_fts",
    "DELETE FROM search_words",
    "INSERT INTO search_fts (rowid, title, summary, body, topics)"
    " SELECT f.id, f.title, f.summary, f.body, coalesce(tp.names, '') FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="group_concat(t.name, ' ')"),
    "INSERT INTO search_words (rowid, words)"
    " SELECT f.id, f.title || ' ' || coalesce(tp.names, '') FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="group_concat(t.name, ' ')"),
    "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
]

POSTGRES_REBUILD = [
    "LOCK TABLE search_document, search_word IN EXCLUSIVE MODE",
    "TRUNCATE search_document, search_word",
    # Building the GIN index once over all rows is many times faster than growing it.
    "DROP INDEX IF EXISTS search_document_gin",
    "INSERT INTO search_document (fact_id, document)"
    " SELECT f.id, search_fact_document(f.title, f.summary, f.body, coalesce(tp.names, ''))"
    " FROM facts_fact f " + TOPIC_NAMES.format(aggregate="string_agg(t.name, ' ')"),
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
    "INSERT INTO search_word (word) SELECT DISTINCT w FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="string_agg(t.name, ' ')")
    + ", regexp_split_to_table(lower(f.title || ' ' || coalesce(tp.names, '')), '[^[:alpha:]]+')"
    " AS w WHERE length(w) > 2",
    "ANALYZE search_document",
    "ANALYZE search_word",
]

# The triggers that index new facts one statement at a time; paused() turns them off.
INSERT_TRIGGERS = {"sqlite": [], "postgresql": ["search_fact_ai", "search_fact_topics_ai"]}


def rebuild():
    """Index every fact afresh, in one transaction; readers see the old index until it ends."""
    get_backend()  # fails clearly on an unsupported database
    statements = SQLITE_REBUILD if connection.vendor == "sqlite" else POSTGRES_REBUILD
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def size():
    """How many facts the index holds."""
    table = "search_fts" if connection.vendor == "sqlite" else "search_document"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


@contextmanager
def paused():
    """Skip indexing inserted facts inside the block, then rebuild once: for bulk loads.

    On PostgreSQL this turns a million small index updates into one index build. On SQLite
    the triggers cost no more than a rebuild would, so they stay on and nothing is redone.
    """
    triggers = INSERT_TRIGGERS.get(connection.vendor, [])
    tables = {"search_fact_ai": "facts_fact", "search_fact_topics_ai": "facts_fact_topics"}
    with connection.cursor() as cursor:
        for name in triggers:
            cursor.execute(f"ALTER TABLE {tables[name]} DISABLE TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name in triggers:
                cursor.execute(f"ALTER TABLE {tables[name]} ENABLE TRIGGER {name}")
    if triggers:
        rebuild()
