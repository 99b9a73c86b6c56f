"""Import the full Wikipedia set (../shared/data/wikipedia-onthisday) into SQLite and into
PostgreSQL; print time and peak memory against the target (60 s, 500 MB).

Each case runs in a fresh process on a fresh database, so its peak memory is its own. The
baseline, measured in the same run, is reading and parsing the files without a database:
the "x parse" column is how many times that the import takes.

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
TARGET_SECONDS, TARGET_MB = 60, 500


def child(case):
    """Run one case in this process and print its measurements as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayfacts.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dayfacts.facts.models import Fact
    from dayfacts.interchange.formats.wikipedia import MuffinlabsImporter

    if case == "parse":
        importer = MuffinlabsImporter()
        start, cpu = time.perf_counter(), time.process_time()
        count = sum(1 for path in importer.inputs([FOLDER]) for _ in importer.read(path))
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
        rows.append(("parse only (baseline)", run("parse", env)))
        sqlite = {**env, "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3"}
        rows.append(("SQLite, empty database", run("import", sqlite)))
        Path(scratch, "bench.sqlite3").unlink()
        rows.append(("SQLite, second run (unchanged)", run("import-again", sqlite)))
        if not args.skip_postgres:
            for label, case in (("PostgreSQL, empty database", "import"),
                                ("PostgreSQL, second run (unchanged)", "import-again")):
                url, drop = postgres_database()
                try:
                    rows.append((label, run(case, {**env, "DATABASE_URL": url})))
                finally:
                    drop()

    baseline = rows[0][1]["wall"]
    print(f"Full Wikipedia set: {FOLDER} ({len(list(FOLDER.glob('*.json')))} files)\n")
    print("| case | facts | wall s | cpu s | peak MB | x parse | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, m in rows:
        ok = m["wall"] <= TARGET_SECONDS and m["peak_mb"] <= TARGET_MB
        verdict = "baseline" if label.startswith("parse") else ("met" if ok else "MISSED")
        print(f"| {label} | {m['count']} | {m['wall']:.1f} | {m['cpu']:.1f} | "
              f"{m['peak_mb']:.0f} | {m['wall'] / baseline:.1f} | {verdict} |")
    print(f"\ntarget: at most {TARGET_SECONDS} s and {TARGET_MB} MB per import. Wall time "
          "depends on what else the machine runs; cpu s is this process's own time (the "
          "PostgreSQL server's work is not in it). load average at the end: "
          f"{os.getloadavg()[0]:.1f}")

if __name__ == "__main__":
    main()
