"""Leave the rows of an import in progress (status "importing") out of the index.

Row triggers are the slow part of a large import: SQLite runs one per row, and PostgreSQL
would refresh each row's document when its status changes. Hidden rows are skipped here;
when an import shows them it indexes them in one statement per batch
(dayfacts.search.index.add()).
"""

from importlib import import_module

from django.db import migrations

index = import_module("dayfacts.search.migrations.0001_index")
COLUMNS = import_module("dayfacts.search.migrations.0002_filter_columns").COLUMNS
WATCHED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}"
                      for c in ["title", "summary", "body", *COLUMNS.split(", ")])
NEW_COLUMNS = ", ".join(f"n.{c}" for c in COLUMNS.split(", "))
UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS.split(", "))


def sqlite_triggers(hidden):
    """The insert and status triggers, skipping hidden rows when `hidden` is True."""
    when_new = " WHEN new.status <> 'importing'" if hidden else ""
    when_old = " WHEN old.status <> 'importing'" if hidden else ""
    return [
        "DROP TRIGGER IF EXISTS search_fact_ai",
        f"""CREATE TRIGGER search_fact_ai AFTER INSERT ON facts_fact{when_new} BEGIN
            INSERT INTO search_fts (rowid, title, summary, body, topics)
                VALUES (new.id, new.title, new.summary, new.body,
                        {index.SQLITE_TOPICS.format(fact="new.id")});
            INSERT INTO search_words (rowid, words) VALUES (new.id, new.title);
        END""",
        "DROP TRIGGER IF EXISTS search_meta_ai",
        f"""CREATE TRIGGER search_meta_ai AFTER INSERT ON facts_fact{when_new} BEGIN
            INSERT OR REPLACE INTO search_meta (id, {COLUMNS}) VALUES
                (new.id, new.status, new.publish_at, new.kind, new.year, new.notability);
        END""",
        "DROP TRIGGER IF EXISTS search_meta_au",
        f"""CREATE TRIGGER search_meta_au AFTER UPDATE OF {COLUMNS} ON facts_fact{when_old}
        BEGIN
            UPDATE search_meta SET status = new.status, publish_at = new.publish_at,
                kind = new.kind, year = new.year, notability = new.notability
                WHERE id = new.id;
        END""",
    ]


def postgres_triggers(hidden):
    shown = " WHERE n.status <> 'importing'" if hidden else ""
    shown_and = " AND n.status <> 'importing'" if hidden else ""
    was_shown = "OLD.status <> 'importing' AND " if hidden else ""
    return [
        f"""CREATE OR REPLACE FUNCTION search_facts_inserted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO search_document (fact_id, document, {COLUMNS})
                SELECT n.id,
                    search_fact_document(n.title, n.summary, n.body, search_fact_topics(n.id)),
                    {NEW_COLUMNS}
                FROM new_rows n{shown}
                ON CONFLICT (fact_id) DO UPDATE SET document = EXCLUDED.document, {UPDATES};
            INSERT INTO search_word (word)
                SELECT DISTINCT w FROM new_rows n,
                    regexp_split_to_table(lower(n.title), '[^[:alpha:]]+') AS w
                WHERE length(w) > 2{shown_and}
                ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""",
        "DROP TRIGGER IF EXISTS search_fact_au ON facts_fact",
        f"""CREATE TRIGGER search_fact_au AFTER UPDATE ON facts_fact FOR EACH ROW
            WHEN ({was_shown}({WATCHED}))
            EXECUTE FUNCTION search_fact_updated()""",
    ]


STATEMENTS = {
    "sqlite": (sqlite_triggers(hidden=True), sqlite_triggers(hidden=False)),
    "postgresql": (postgres_triggers(hidden=True), postgres_triggers(hidden=False)),
}
# What dayfacts.search.index.restore_triggers() puts back after a killed paused() load.
SQLITE = sqlite_triggers(hidden=True)


def run(pick):
    def operation(apps, schema_editor):
        for statement in pick(STATEMENTS[schema_editor.connection.vendor]):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0002_filter_columns")]

    operations = [
        migrations.RunPython(run(lambda pair: pair[0]), run(lambda pair: pair[1])),
    ]
