"""The search index's upkeep. Triggers keep it right row by row; rebuild() starts it afresh.

Call rebuild() after loading facts by a path that skips the triggers (a database restore,
or a load run inside `paused()`), or from the command line: `dayfacts search reindex`.
"""

from contextlib import contextmanager
from importlib import import_module

from django.db import connection, transaction

from .backends import get_backend

TOPIC_NAMES = """LEFT JOIN (SELECT ft.fact_id, {aggregate} AS names FROM facts_fact_topics ft
    JOIN facts_topic t ON t.id = ft.topic_id GROUP BY ft.fact_id) tp ON tp.fact_id = f.id"""

FILTER_COLUMNS = "status, publish_at, kind, year, notability"

SQLITE_REBUILD = [
    "DELETE FROM search_fts",
    "DELETE FROM search_words",
    "DELETE FROM search_meta",
    f"INSERT INTO search_meta (id, {FILTER_COLUMNS}) SELECT id, {FILTER_COLUMNS} FROM facts_fact",
    "INSERT INTO search_fts (rowid, title, summary, body, topics)"
    " SELECT f.id, f.title, f.summary, f.body, coalesce(tp.names, '') FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="group_concat(t.name, ' ')"),
    "INSERT INTO search_words (rowid, words)"
    " SELECT f.id, f.title || ' ' || coalesce(tp.names, '') FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="group_concat(t.name, ' ')"),
    "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
]

# The names of the listed facts' topics, for add().
TOPIC_NAMES_OF = """LEFT JOIN (SELECT ft.fact_id, group_concat(t.name, ' ') AS names
    FROM facts_fact_topics ft JOIN facts_topic t ON t.id = ft.topic_id
    WHERE ft.fact_id IN ({ids}) GROUP BY ft.fact_id) tp ON tp.fact_id = f.id"""

# add() on SQLite: (statement, how many times it lists the ids).
SQLITE_ADD = [
    (f"INSERT OR REPLACE INTO search_meta (id, {FILTER_COLUMNS})"
     f" SELECT id, {FILTER_COLUMNS} FROM facts_fact WHERE id IN ({{ids}})", 1),
    ("INSERT OR REPLACE INTO search_fts (rowid, title, summary, body, topics)"
     " SELECT f.id, f.title, f.summary, f.body, coalesce(tp.names, '') FROM facts_fact f "
     + TOPIC_NAMES_OF + " WHERE f.id IN ({ids})", 2),
    ("INSERT OR REPLACE INTO search_words (rowid, words)"
     " SELECT f.id, f.title || ' ' || coalesce(tp.names, '') FROM facts_fact f "
     + TOPIC_NAMES_OF + " WHERE f.id IN ({ids})", 2),
]

POSTGRES_REBUILD = [
    "LOCK TABLE search_document, search_word IN EXCLUSIVE MODE",
    "TRUNCATE search_document, search_word",
    # Building the GIN index once over all rows is many times faster than growing it.
    "DROP INDEX IF EXISTS search_document_gin",
    f"INSERT INTO search_document (fact_id, document, {FILTER_COLUMNS})"
    " SELECT f.id, search_fact_document(f.title, f.summary, f.body, coalesce(tp.names, '')),"
    f" {', '.join('f.' + c for c in FILTER_COLUMNS.split(', '))}"
    " FROM facts_fact f " + TOPIC_NAMES.format(aggregate="string_agg(t.name, ' ')"),
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
    "INSERT INTO search_word (word) SELECT DISTINCT w FROM facts_fact f "
    + TOPIC_NAMES.format(aggregate="string_agg(t.name, ' ')")
    + ", regexp_split_to_table(lower(f.title || ' ' || coalesce(tp.names, '')), '[^[:alpha:]]+')"
    " AS w WHERE length(w) > 2",
    "ANALYZE search_document",
    "ANALYZE search_word",
]

# The triggers that index new facts; paused() turns them off for the length of a load.
POSTGRES_INSERT_TRIGGERS = [("facts_fact", "search_fact_ai"),
                            ("facts_fact_topics", "search_fact_topics_ai")]


def rebuild():
    """Index every fact afresh, in one transaction; readers see the old index until it ends.

    It also puts back the triggers a load inside paused() took away, should that load have
    been killed before it could.
    """
    get_backend()  # fails clearly on an unsupported database
    statements = SQLITE_REBUILD if connection.vendor == "sqlite" else POSTGRES_REBUILD
    with transaction.atomic(), connection.cursor() as cursor:
        restore_triggers(cursor)
        for statement in statements:
            cursor.execute(statement)


def restore_triggers(cursor):
    if connection.vendor == "postgresql":
        # Only when off: ALTER TABLE fails in a transaction with pending foreign key checks.
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgenabled = 'D' AND tgname = ANY(%s)",
                       [[name for _, name in POSTGRES_INSERT_TRIGGERS]])
        disabled = {name for (name,) in cursor.fetchall()}
        for table, name in POSTGRES_INSERT_TRIGGERS:
            if name in disabled:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        return
    # The latest definition of a trigger first: IF NOT EXISTS keeps the first one made.
    for migration in ("0003_import_rows", "0001_index", "0002_filter_columns"):
        module = import_module(f"dayfacts.search.migrations.{migration}")
        for sql in module.SQLITE:
            if sql.lstrip().startswith("CREATE TRIGGER"):
                cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def add(ids):
    """Index facts the triggers left out: an import's rows, as it shows them.

    One statement per table for the whole list, where the triggers would run once per row.
    """
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT search_refresh(%s::bigint[])", [list(ids)])
            return
        marks = ", ".join(["%s"] * len(ids))
        for statement, times in SQLITE_ADD:
            cursor.execute(statement.format(ids=marks), list(ids) * times)


def size():
    """How many facts the index holds."""
    table = "search_fts" if connection.vendor == "sqlite" else "search_document"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


@contextmanager
def paused():
    """Skip indexing inside the block, then rebuild once: for bulk loads.

    Meant for loads while nothing else writes facts: the pause holds for every connection,
    though the rebuild at the end indexes whatever anyone wrote meanwhile.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite cannot disable a trigger, so drop them and put back the same SQL.
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                           " AND name LIKE 'search\\_%' ESCAPE '\\'")
            triggers = [sql for (sql,) in cursor.fetchall()]
            for sql in triggers:
                cursor.execute("DROP TRIGGER " + sql.split()[2])
        else:
            for table, name in POSTGRES_INSERT_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for sql in triggers:
                    cursor.execute(sql)
            else:
                for table, name in POSTGRES_INSERT_TRIGGERS:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    rebuild()
