"""Import the full Wikipedia set (../shared/data/wikipedia-onthisday) into SQLite and into
PostgreSQL; print time and peak memory beside the floor, a bare `executemany` of the same
rows into the same schema.

Each case runs in a fresh process on a fresh, migrated database, so its peak memory is its
own. The floor, measured in the same run on each database, reads and parses the files and
inserts one row per fact with the driver's `executemany` in one transaction: no checks, no
keys, no search index upkeep beyond the schema's own triggers, no short transactions. The
"x floor" column is how many times that the import takes; the targets are 30 s and 400 MB
on SQLite, 45 s on PostgreSQL, and at most 10 x the floor.

    .venv/bin/python bench/import.py [--skip-postgres]

PostgreSQL is taken from BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test);
a scratch database is created beside it and dropped afterwards.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DAYFACTS_SHARED_DATA", REPO.parent / "shared" / "data"))
FOLDER = DATA / "wikipedia-onthisday"
TARGETS = {"sqlite": 30, "postgresql": 45}  # seconds
TARGET_MB, TARGET_RATIO = 400, 10


def child(case):
    """Run one case in this process and print its measurements as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dayfacts.facts.models import Fact

    if case == "floor":
        call_command("migrate", verbosity=0)
        start, cpu = time.perf_counter(), time.process_time()
        count = floor()
    else:
        call_command("migrate", verbosity=0)
        runs = 2 if case.endswith("again") else 1
        for _ in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            call_command("import", "muffinlabs", str(FOLDER), "--no-progress", verbosity=0,
                         stdout=open(os.devnull, "w"))  # noqa: SIM115
        count = Fact.objects.count()
    print(json.dumps({
        "wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "count": count,
    }))


def floor():
    """Parse every file and insert a row per fact with executemany, in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dayfacts.facts.models import Fact
    from dayfacts.interchange.formats.muffinlabs import MuffinlabsImporter
    from dayfacts.interchange.records import FIELDS, FactRecord

    importer = MuffinlabsImporter()
    now = timezone.now()
    columns = [*FIELDS, "slug", "body_html", "publish_at", "created", "updated"]
    rows = []
    for path in importer.inputs([FOLDER]):
        for record in importer.read(path):
            if isinstance(record, FactRecord):
                values = [getattr(record, name) for name in FIELDS]
                rows.append([*values, f"fact-{len(rows)}", "", now, now, now])
    table = connection.ops.quote_name(Fact._meta.db_table)
    sql = (f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)})"
           f" VALUES ({', '.join(['%s'] * len(columns))})")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def run(case, env):
    """Run a case in a fresh process; return its measurements."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", case], env={**os.environ, **env},
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    if result.returncode:
        sys.exit(f"{case} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_database():
    """Create a scratch PostgreSQL database; return its URL and a function that drops it."""
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return base.rsplit("/", 1)[0] + "/" + name, drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    if not FOLDER.is_dir():
        sys.exit(f"No data at {FOLDER}")

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {"DAYFACTS_VAR_DIR": scratch}
        sqlite = {**env, "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3"}
        for label, case in (("floor", "floor"), ("empty database", "import"),
                            ("second run (unchanged)", "import-again")):
            rows.append(("sqlite", label, run(case, sqlite)))
            Path(scratch, "bench.sqlite3").unlink()
        if not args.skip_postgres:
            for label, case in (("floor", "floor"), ("empty database", "import"),
                                ("second run (unchanged)", "import-again")):
                url, drop = postgres_database()
                try:
                    rows.append(("postgresql", label, run(case, {**env, "DATABASE_URL": url})))
                finally:
                    drop()

    print(f"Full Wikipedia set: {FOLDER} ({len(list(FOLDER.glob('*.json')))} files)\n")
    print("| case | facts | wall s | cpu s | peak MB | x floor | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    floors = {database: m["wall"] for database, label, m in rows if label == "floor"}
    for database, label, m in rows:
        ratio = m["wall"] / floors[database]
        if label == "floor":
            verdict = "floor"
        else:
            ok = (m["wall"] <= TARGETS[database] and ratio <= TARGET_RATIO
                  and (database != "sqlite" or m["peak_mb"] <= TARGET_MB))
            verdict = "met" if ok else "MISSED"
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        print(f"| {name}, {label} | {m['count']} | {m['wall']:.1f} | {m['cpu']:.1f} | "
              f"{m['peak_mb']:.0f} | {ratio:.1f} | {verdict} |")
    print(f"\ntargets: at most {TARGETS['sqlite']} s and {TARGET_MB} MB on SQLite, "
          f"{TARGETS['postgresql']} s on PostgreSQL, and {TARGET_RATIO} x the floor. Wall time "
          "depends on what else the machine runs; cpu s is this process's own time (the "
          "PostgreSQL server's work is not in it). load average at the end: "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
