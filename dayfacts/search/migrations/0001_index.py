"""The full-text index: FTS5 tables on SQLite, a tsvector table with GIN on PostgreSQL.

Triggers on facts_fact, facts_fact_topics and facts_topic keep the index right whatever
writes the facts (the admin, the ORM, bulk_create, raw SQL), so nothing has to remember to
call the index. Which facts a reader may see is decided at query time, so publishing,
unpublishing and scheduling need no index change at all.
"""

from django.db import migrations

SQLITE_TOPICS = """(SELECT coalesce(group_concat(t.name, ' '), '') FROM facts_topic t
    JOIN facts_fact_topics ft ON ft.topic_id = t.id WHERE ft.fact_id = {fact})"""

SQLITE = [
    # Stemmed, for matching and ranking.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, body, topics, tokenize = 'porter unicode61 remove_diacritics 2')""",
    # Unstemmed words of titles and topics, for "did you mean" suggestions.
    """CREATE VIRTUAL TABLE search_words USING fts5(
        words, tokenize = 'unicode61 remove_diacritics 2', detail = none)""",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_words, 'row')",
    f"""CREATE TRIGGER search_fact_ai AFTER INSERT ON facts_fact BEGIN
        INSERT INTO search_fts (rowid, title, summary, body, topics)
            VALUES (new.id, new.title, new.summary, new.body, {SQLITE_TOPICS.format(fact="new.id")});
        INSERT INTO search_words (rowid, words) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER search_fact_au AFTER UPDATE OF title, summary, body ON facts_fact BEGIN
        UPDATE search_fts SET title = new.title, summary = new.summary, body = new.body
            WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER search_fact_title_au AFTER UPDATE OF title ON facts_fact BEGIN
        UPDATE search_words SET words = new.title || ' ' || {SQLITE_TOPICS.format(fact="new.id")}
            WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER search_fact_ad AFTER DELETE ON facts_fact BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
        DELETE FROM search_words WHERE rowid = old.id;
    END""",
    *[
        f"""CREATE TRIGGER search_fact_topics_{suffix} AFTER {event} ON facts_fact_topics BEGIN
            UPDATE search_fts SET topics = {SQLITE_TOPICS.format(fact=f"{row}.fact_id")}
                WHERE rowid = {row}.fact_id;
            UPDATE search_words SET words = (SELECT title FROM facts_fact WHERE id = {row}.fact_id)
                || ' ' || {SQLITE_TOPICS.format(fact=f"{row}.fact_id")} WHERE rowid = {row}.fact_id;
        END"""
        for suffix, event, row in (("ai", "INSERT", "new"), ("ad", "DELETE", "old"))
    ],
    f"""CREATE TRIGGER search_topic_au AFTER UPDATE OF name ON facts_topic BEGIN
        UPDATE search_fts SET topics = {SQLITE_TOPICS.format(fact="search_fts.rowid")}
            WHERE rowid IN (SELECT fact_id FROM facts_fact_topics WHERE topic_id = new.id);
        UPDATE search_words SET words = (SELECT title FROM facts_fact WHERE id = search_words.rowid)
            || ' ' || {SQLITE_TOPICS.format(fact="search_words.rowid")}
            WHERE rowid IN (SELECT fact_id FROM facts_fact_topics WHERE topic_id = new.id);
    END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_topic_au",
    "DROP TRIGGER IF EXISTS search_fact_topics_ad",
    "DROP TRIGGER IF EXISTS search_fact_topics_ai",
    "DROP TRIGGER IF EXISTS search_fact_ad",
    "DROP TRIGGER IF EXISTS search_fact_title_au",
    "DROP TRIGGER IF EXISTS search_fact_au",
    "DROP TRIGGER IF EXISTS search_fact_ai",
    "DROP TABLE IF EXISTS search_vocab",
    "DROP TABLE IF EXISTS search_words",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES = [
    # Trusted since PostgreSQL 13, so the site's own role may create it. Never dropped:
    # other apps may come to use it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_document (
        fact_id bigint PRIMARY KEY,
        document tsvector NOT NULL)""",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
    "CREATE TABLE search_word (word text PRIMARY KEY)",
    "CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
    # Title weighs most, then topics and summary, then the article.
    """CREATE FUNCTION search_fact_document(title text, summary text, body text, topics text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(topics, '')), 'B')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(body, '')), 'D')
    $$""",
    """CREATE FUNCTION search_fact_topics(fact bigint) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce(string_agg(t.name, ' '), '') FROM facts_topic t
        JOIN facts_fact_topics ft ON ft.topic_id = t.id WHERE ft.fact_id = fact
    $$""",
    """CREATE FUNCTION search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO search_document (fact_id, document)
            SELECT f.id, search_fact_document(f.title, f.summary, f.body, search_fact_topics(f.id))
            FROM facts_fact f WHERE f.id = ANY(ids)
            ON CONFLICT (fact_id) DO UPDATE SET document = EXCLUDED.document;
        INSERT INTO search_word (word)
            SELECT DISTINCT w FROM facts_fact f,
                regexp_split_to_table(lower(f.title || ' ' || search_fact_topics(f.id)),
                                      '[^[:alpha:]]+') AS w
            WHERE f.id = ANY(ids) AND length(w) > 2
            ON CONFLICT DO NOTHING;
    $$""",
    # Statement-level with a transition table, so a bulk insert is indexed in one pass.
    """CREATE FUNCTION search_facts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_document (fact_id, document)
            SELECT n.id, search_fact_document(n.title, n.summary, n.body, search_fact_topics(n.id))
            FROM new_rows n
            ON CONFLICT (fact_id) DO UPDATE SET document = EXCLUDED.document;
        INSERT INTO search_word (word)
            SELECT DISTINCT w FROM new_rows n,
                regexp_split_to_table(lower(n.title), '[^[:alpha:]]+') AS w
            WHERE length(w) > 2
            ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_ai AFTER INSERT ON facts_fact
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_facts_inserted()""",
    """CREATE FUNCTION search_fact_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY[NEW.id]);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_au AFTER UPDATE ON facts_fact FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.summary IS DISTINCT FROM NEW.summary
              OR OLD.body IS DISTINCT FROM NEW.body)
        EXECUTE FUNCTION search_fact_updated()""",
    """CREATE FUNCTION search_facts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_document WHERE fact_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_ad AFTER DELETE ON facts_fact
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_facts_deleted()""",
    # Test databases are flushed with TRUNCATE, which fires no row or delete triggers.
    """CREATE FUNCTION search_facts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_document;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_truncate AFTER TRUNCATE ON facts_fact
        FOR EACH STATEMENT EXECUTE FUNCTION search_facts_truncated()""",
    """CREATE FUNCTION search_fact_topics_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(SELECT DISTINCT fact_id FROM new_rows));
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_topics_ai AFTER INSERT ON facts_fact_topics
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_fact_topics_inserted()""",
    """CREATE FUNCTION search_fact_topics_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(SELECT DISTINCT fact_id FROM old_rows));
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_fact_topics_ad AFTER DELETE ON facts_fact_topics
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_fact_topics_deleted()""",
    """CREATE FUNCTION search_topic_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh(ARRAY(
            SELECT fact_id FROM facts_fact_topics WHERE topic_id = NEW.id));
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_topic_au AFTER UPDATE ON facts_topic FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION search_topic_renamed()""",
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS search_topic_au ON facts_topic",
    "DROP TRIGGER IF EXISTS search_fact_topics_ad ON facts_fact_topics",
    "DROP TRIGGER IF EXISTS search_fact_topics_ai ON facts_fact_topics",
    "DROP TRIGGER IF EXISTS search_fact_truncate ON facts_fact",
    "DROP TRIGGER IF EXISTS search_fact_ad ON facts_fact",
    "DROP TRIGGER IF EXISTS search_fact_au ON facts_fact",
    "DROP TRIGGER IF EXISTS search_fact_ai ON facts_fact",
    "DROP FUNCTION IF EXISTS search_topic_renamed()",
    "DROP FUNCTION IF EXISTS search_fact_topics_deleted()",
    "DROP FUNCTION IF EXISTS search_fact_topics_inserted()",
    "DROP FUNCTION IF EXISTS search_facts_truncated()",
    "DROP FUNCTION IF EXISTS search_facts_deleted()",
    "DROP FUNCTION IF EXISTS search_fact_updated()",
    "DROP FUNCTION IF EXISTS search_facts_inserted()",
    "DROP FUNCTION IF EXISTS search_refresh(bigint[])",
    "DROP FUNCTION IF EXISTS search_fact_topics(bigint)",
    "DROP FUNCTION IF EXISTS search_fact_document(text, text, text, text)",
    "DROP TABLE IF EXISTS search_word",
    "DROP TABLE IF EXISTS search_document",
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRES, POSTGRES_REVERSE)}


def run(statements_for):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise RuntimeError(f"dayfacts search supports SQLite and PostgreSQL, not {vendor}.")
        for statement in statements_for(STATEMENTS[vendor]):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("facts", "0001_initial")]

    operations = [
        migrations.RunPython(run(lambda pair: pair[0]), run(lambda pair: pair[1])),
    ]
