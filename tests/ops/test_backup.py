"""On PostgreSQL: containers migrating at once, and a backup restored into a new database."""

import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from tests.servers import DAYFACTS, REPO, site_env

SEED = """
from dayfacts.comments.models import Comment
from dayfacts.facts.models import Fact
fact = Fact.objects.create(month=7, day=20, year=1969, kind="event", title="Backed up",
                           slug="backed-up", summary="Restored intact.", status="published")
Comment.objects.create(fact=fact, name="Reader", email="kept@example.org", text="Hello",
                       status="approved")
"""


@pytest.fixture
def scratch_databases():
    """Make empty PostgreSQL databases on the test server; drop them afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgres://... (CI does)")
    s = connection.settings_dict
    server = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    made = []

    def make():
        name = f"dayfacts_ops_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{server}/{name}"

    yield make
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_migrations_at_once_then_backup_and_restore(tmp_path, scratch_databases):
    url = scratch_databases()
    env = site_env(tmp_path, DATABASE_URL=url)
    # Two containers starting together: the lock makes the second wait, then find no work.
    runs = [subprocess.Popen([*DAYFACTS, "migrate_locked"], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert sum("No migrations to apply." in out for out, _ in outputs) == 1

    seeded = subprocess.run([*DAYFACTS, "shell", "-c", SEED], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    backup = subprocess.run(
        ["sh", str(REPO / "deploy" / "backup.sh")], capture_output=True, text=True, timeout=300,
        env={**env, "BACKUP_DIR": str(tmp_path / "backups"),
             "PATH": f"{sys.executable.rsplit('/', 1)[0]}:{env['PATH']}"}, cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    dump, export = backup.stdout.split()
    assert '"Backed up"' in open(export).read()

    restored = scratch_databases()
    subprocess.run(["pg_restore", "--no-owner", "--dbname", restored, dump], check=True,
                   capture_output=True, timeout=300)
    with psycopg.connect(restored) as db:
        fact = db.execute("SELECT title FROM facts_fact").fetchall()
        comment = db.execute("SELECT email FROM comments_comment").fetchall()
    assert fact == [("Backed up",)]
    assert comment == [("kept@example.org",)]
