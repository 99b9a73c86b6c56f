"""An import is a run of short transactions that readers never see half of, and that is
taken back whole when it fails, is stopped or its process is killed."""

import signal
import sqlite3
import subprocess
import time

import pytest
from django.core.management import CommandError

from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Status
from dayfacts.facts.signals import content_changed
from dayfacts.interchange.loader import BATCH_SIZE, Loader
from dayfacts.interchange.models import FactOrigin, ImportRun
from dayfacts.interchange.records import FactRecord
from tests.servers import DAYFACTS, site_env

HEADER = "month,day,year,kind,title\n"


def rows(first, count, days=28):
    """CSV rows of `count` distinct events spread over the first `days` days of March."""
    return "".join(f"3,{1 + n % days},{1 + n % 2000},event,Event number {n}\n"
                   for n in range(first, first + count))


@pytest.fixture
def files(write):
    """Three CSV files of 1,200 events each; the third's last row is bad."""
    return [
        write("a.csv", HEADER + rows(0, 1200)),
        write("b.csv", HEADER + rows(1200, 1200)),
        write("c.csv", HEADER + rows(2400, 1199) + "3,32,1999,event,A day that is not\n"),
    ]


@pytest.mark.django_db
def test_a_run_that_fails_after_writing_batches_leaves_nothing_of_its_own(
        run_import, files, database_state):
    typed = Fact.objects.create(month=3, day=5, year=1900, title="Typed by an editor",
                                status=Status.PUBLISHED)
    before = database_state()
    with pytest.raises(CommandError, match=r"c\.csv.*line 1201"):
        run_import("csv", *files)
    run = ImportRun.objects.get()
    # It had written the first two files (in batches) before it met the bad row.
    assert run.created_facts >= 2 * 1200
    assert run.state == ImportRun.State.FAILED and "line 1201" in run.message
    assert database_state() == before
    assert list(Fact.objects.all()) == [typed]
    assert not FactOrigin.objects.exists()

    files[2].write_text(HEADER + rows(2400, 1200))
    run_import("csv", *files)
    assert Fact.objects.count() == 3601
    assert Fact.objects.published().count() == 3601
    report = run_import("csv", *files)
    assert "3600" in report and Fact.objects.count() == 3601  # all unchanged


@pytest.mark.django_db
def test_with_skip_bad_a_bad_file_takes_back_only_itself(run_import, write, files):
    files[1].write_bytes(b"month,day,year,kind,title\n3,1,1000,event,\xff\xfe broken\n")
    run_import("csv", "--skip-bad", *files)
    # a.csv whole, b.csv not at all, c.csv without its bad row.
    assert Fact.objects.count() == 1200 + 1199
    assert not Fact.objects.filter(status=Status.IMPORTING).exists()
    assert ImportRun.objects.get().state == ImportRun.State.FINISHED


def test_readers_see_a_day_before_the_run_or_after_it_never_half(db):
    days = [MonthDay(3, d) for d in range(1, 29)]
    records = [FactRecord(key=f"k{n}", month=3, day=1 + n % 28, kind="event",
                          title=f"Event {n}", year=1000 + n) for n in range(3 * BATCH_SIZE)]
    expected = {day: sum(1 for r in records if r.day == day.day) for day in days}
    seen = []

    def look(**kwargs):
        seen.append({day: Fact.objects.published().on(day).count() for day in days})

    content_changed.connect(look, dispatch_uid="test.look")
    try:
        with Loader("test", what="three batches", inputs=1) as loader:
            loader.load(iter(records))
            # Every batch is written, and readers see none of it yet.
            assert Fact.objects.filter(status=Status.IMPORTING).count() == len(records)
            assert not Fact.objects.published().exists()
            assert not seen
    finally:
        content_changed.disconnect(dispatch_uid="test.look")
    # The days were shown in more than one transaction, each day whole.
    assert len(seen) > 1
    for counts in seen:
        assert all(counts[day] in (0, expected[day]) for day in days), counts
    assert seen[-1] == expected


def test_a_record_may_not_claim_the_importing_state(run_import, write):
    path = write("facts.jsonl", '{"type": "fact", "key": "x", "month": 3, "day": 20, '
                                '"kind": "event", '
                                '"title": "Sneaky", "status": "importing"}\n')
    with pytest.raises(CommandError, match="status 'importing'"):
        run_import("jsonl", path)
    assert not Fact.objects.exists()


def test_a_second_run_of_the_same_source_waits_for_the_first(run_import, write):
    ImportRun.objects.create(source="csv", what="csv other.csv", inputs_total=3)
    with pytest.raises(CommandError, match="is still going"):
        run_import("csv", write("a.csv", HEADER + rows(0, 3)))
    assert not Fact.objects.exists()


# A killed import, in a process of its own on a SQLite file ------------------------------


@pytest.fixture
def site(tmp_path):
    env = site_env(tmp_path, LOG_LEVEL="WARNING")
    result = dayfacts(["migrate", "--noinput", "-v0"], env)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data"
    folder.mkdir()
    for n in range(20):
        (folder / f"{n:02}.csv").write_text(HEADER + rows(n * 1000, 1000))
    return env, folder


def dayfacts(argv, env, **kwargs):
    return subprocess.run([*DAYFACTS, *argv], env=env, cwd=env["DAYFACTS_VAR_DIR"],
                          capture_output=True, text=True, timeout=300, **kwargs)


def query(env, sql):
    with sqlite3.connect(f"{env['DAYFACTS_VAR_DIR']}/dayfacts.sqlite3", timeout=20) as connection:
        return connection.execute(sql).fetchall()


def import_until_written(env, folder, at_least):
    """Start an import and return its process once it has written `at_least` facts."""
    process = subprocess.Popen([*DAYFACTS, "import", "csv", str(folder), "--no-progress"],
                               env=env, cwd=env["DAYFACTS_VAR_DIR"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = query(env, "SELECT created_facts FROM interchange_importrun")
        if found and found[0][0] >= at_least:
            return process
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the import wrote nothing in 2 minutes")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_import_is_rolled_back_and_a_rerun_imports_everything_once(site, how):
    env, folder = site
    process = import_until_written(env, folder, 5000)
    process.send_signal(how)
    process.wait(timeout=60)
    # Readers never saw any of it.
    assert query(env, "SELECT COUNT(*) FROM facts_fact WHERE status = 'published'") == [(0,)]
    if how == signal.SIGTERM:  # asked to stop: it takes back what it wrote itself
        assert query(env, "SELECT COUNT(*) FROM facts_fact") == [(0,)]
        assert query(env, "SELECT state, message FROM interchange_importrun") == [
            ("failed", "interrupted")]
    else:  # killed: what it wrote waits for the next run
        assert query(env, "SELECT COUNT(*) FROM facts_fact")[0][0] >= 5000

    result = dayfacts(["import", "csv", str(folder), "--no-progress"], env)
    assert result.returncode == 0, result.stderr
    if how == signal.SIGKILL:
        assert "Rolled back csv import #1" in result.stdout
    assert query(env, "SELECT COUNT(*), COUNT(DISTINCT title) FROM facts_fact "
                      "WHERE status = 'published'") == [(20000, 20000)]
    assert query(env, "SELECT COUNT(*) FROM facts_fact") == [(20000,)]
    assert query(env, "SELECT state FROM interchange_importrun ORDER BY id") == [
        ("failed",), ("finished",)]


# PostgreSQL: an import beside live writers takes no lock that would stop them -------------

# Lock modes that would block a reader's or a writer's row changes (or every read).
BLOCKING = ("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")


@pytest.fixture
def postgres_site(tmp_path):
    """A migrated scratch PostgreSQL database beside the test database, and its env."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's locks: the suite runs on SQLite")
    import psycopg

    settings = connection.settings_dict
    base = (f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}")
    name = f"test_import_locks_{tmp_path.name[-8:].replace('-', '_')}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = site_env(tmp_path, LOG_LEVEL="WARNING", DATABASE_URL=f"{base}/{name}")
    result = dayfacts(["migrate", "--noinput", "-v0"], env)
    assert result.returncode == 0, result.stderr
    try:
        yield env, f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_on_postgresql_an_import_takes_no_lock_that_stops_readers_or_writers(
        postgres_site, tmp_path):
    import psycopg

    env, url = postgres_site
    folder = tmp_path / "data"
    folder.mkdir()
    for n in range(10):
        (folder / f"{n:02}.csv").write_text(HEADER + rows(n * 1000, 1000))
    process = subprocess.Popen([*DAYFACTS, "import", "csv", str(folder), "--no-progress"],
                               env=env, cwd=env["DAYFACTS_VAR_DIR"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    locks, longest_transaction, waits = set(), 0.0, []
    with (psycopg.connect(url, autocommit=True) as watcher,
          psycopg.connect(url, autocommit=True) as writer):
        writer.execute("SET lock_timeout = '2s'")
        n = 0
        while process.poll() is None:
            found = watcher.execute(
                "SELECT l.mode, c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
                " AND l.mode = ANY(%s) AND c.relname NOT LIKE 'pg\\_%%'", [list(BLOCKING)],
            ).fetchall()
            locks.update(found)
            age = watcher.execute(
                "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)"
                " FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
                " AND query NOT ILIKE 'VACUUM%%'").fetchone()[0]
            longest_transaction = max(longest_transaction, float(age))
            # An editor saves a fact while the import runs.
            start = time.monotonic()
            with writer.transaction():
                writer.execute(
                    "INSERT INTO facts_fact (month, day, year, kind, title, slug, summary, body,"
                    " body_html, source_name, source_url, licence, attribution, featured,"
                    " notability, status, publish_at, created, updated) VALUES (3, 1, 1999,"
                    " 'event', %s, %s, '', '', '', '', '', '', '', false, 0, 'published',"
                    " now(), now(), now())", [f"Typed {n}", f"typed-{n}"])
            waits.append(time.monotonic() - start)
            n += 1
            time.sleep(0.05)
    assert process.returncode == 0, process.stderr.read()
    assert not locks
    assert waits and max(waits) < 1, max(waits)
    assert longest_transaction < 2, longest_transaction
    with psycopg.connect(url) as reader:
        assert reader.execute("SELECT count(*) FROM facts_fact").fetchone()[0] == 10000 + n
