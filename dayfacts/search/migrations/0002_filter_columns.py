"""Keep what searches filter on beside the index, so a search never visits facts_fact.

Ranking a common word touches every fact that has it; looking each one up in the wide
facts table to check that readers may see it cost more than the ranking itself.
"""

from django.db import migrations

COLUMNS = "status, publish_at, kind, year, notability"

SQLITE = [
    """CREATE TABLE search_meta (
        id INTEGER PRIMARY KEY, status TEXT NOT NULL, publish_at TEXT NOT NULL,
        kind TEXT NOT NULL, year INTEGER, notability INTEGER NOT NULL)""",
    f"INSERT INTO search_meta (id, {COLUMNS}) SELECT id, {COLUMNS} FROM facts_fact",
    f"""CREATE TRIGGER search_meta_ai AFTER INSERT ON facts_fact BEGIN
        INSERT OR REPLACE INTO search_meta (id, {COLUMNS}) VALUES
            (new.id, new.status, new.publish_at, new.kind, new.year, new.notability);
    END""",
    f"""CREATE TRIGGER search_meta_au AFTER UPDATE OF {COLUMNS} ON facts_fact BEGIN
        UPDATE search_meta SET status = new.status, publish_at = new.publish_at,
            kind = new.kind, year = new.year, notability = new.notability WHERE id = new.id;
    END""",
    """CREATE TRIGGER search_meta_ad AFTER DELETE ON facts_fact BEGIN
        DELETE FROM search_meta WHERE id = old.id;
    END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_meta_ad",
    "DROP TRIGGER IF EXISTS search_meta_au",
    "DROP TRIGGER IF EXISTS search_meta_ai",
    "DROP TABLE IF EXISTS search_meta",
]


def postgres_functions(with_columns):
    columns = f", {COLUMNS}" if with_columns else ""
    values = ", f.status, f.publish_at, f.kind, f.year, f.notability" if with_columns else ""
    new_values = ", n.status, n.publish_at, n.kind, n.year, n.notability" if with_columns else ""
    updates = "".join(f", {c} = EXCLUDED.{c}" for c in COLUMNS.split(", ")) if with_columns \
        else ""
    watched = "".join(f" OR OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COLUMNS.split(", ")) \
        if with_columns else ""
    return [
        f"""CREATE OR REPLACE FUNCTION search_refresh(ids bigint[]) RETURNS void
        LANGUAGE sql AS $$
        INSERT INTO search_document (fact_id, document{columns})
            SELECT f.id, search_fact_document(f.title, f.summary, f.body, search_fact_topics(f.id))
                {values}
            FROM facts_fact f WHERE f.id = ANY(ids)
            ON CONFLICT (fact_id) DO UPDATE SET document = EXCLUDED.document{updates};
        INSERT INTO search_word (word)
            SELECT DISTINCT w FROM facts_fact f,
                regexp_split_to_table(lower(f.title || ' ' || search_fact_topics(f.id)),
                                      '[^[:alpha:]]+') AS w
            WHERE f.id = ANY(ids) AND length(w) > 2
            ON CONFLICT DO NOTHING;
        $$""",
        f"""CREATE OR REPLACE FUNCTION search_facts_inserted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO search_document (fact_id, document{columns})
                SELECT n.id,
                    search_fact_document(n.title, n.summary, n.body, search_fact_topics(n.id))
                    {new_values}
                FROM new_rows n
                ON CONFLICT (fact_id) DO UPDATE SET document = EXCLUDED.document{updates};
            INSERT INTO search_word (word)
                SELECT DISTINCT w FROM new_rows n,
                    regexp_split_to_table(lower(n.title), '[^[:alpha:]]+') AS w
                WHERE length(w) > 2
                ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""",
        "DROP TRIGGER IF EXISTS search_fact_au ON facts_fact",
        f"""CREATE TRIGGER search_fact_au AFTER UPDATE ON facts_fact FOR EACH ROW
            WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.summary IS DISTINCT FROM NEW.summary
                  OR OLD.body IS DISTINCT FROM NEW.body{watched})
            EXECUTE FUNCTION search_fact_updated()""",
    ]


POSTGRES = [
    "ALTER TABLE search_document ADD COLUMN status varchar(10), ADD COLUMN publish_at timestamptz,"
    " ADD COLUMN kind varchar(10), ADD COLUMN year integer, ADD COLUMN notability integer",
    f"UPDATE search_document d SET ({COLUMNS}) = (f.status, f.publish_at, f.kind, f.year,"
    " f.notability) FROM facts_fact f WHERE f.id = d.fact_id",
    *postgres_functions(with_columns=True),
    # The UPDATE above leaves the planner's statistics about the table's size stale.
    "ANALYZE search_document",
]

POSTGRES_REVERSE = [
    *postgres_functions(with_columns=False),
    "ALTER TABLE search_document DROP COLUMN status, DROP COLUMN publish_at, DROP COLUMN kind,"
    " DROP COLUMN year, DROP COLUMN notability",
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRES, POSTGRES_REVERSE)}


def run(pick):
    def operation(apps, schema_editor):
        for statement in pick(STATEMENTS[schema_editor.connection.vendor]):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [
        migrations.RunPython(run(lambda pair: pair[0]), run(lambda pair: pair[1])),
    ]
