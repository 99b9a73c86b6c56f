"""Search and day-page speed at scale, on SQLite and PostgreSQL (issue 7's speed section).

    .venv/bin/python bench/search.py [--facts 1000000] [--databases sqlite,postgresql]

Fills a benchmark database per engine with `dayfacts demo-data` (once; later runs reuse
it), then times, through Django's test client with the page cache off:
  - search: /search/?q= for each of 50 fixed queries, after one warm-up pass;
  - day page: 50 different days' pages, each requested once after a warm-up on another day;
  - baseline: /search/ with no query (templates and a form, one tiny query), to show what
    this machine takes for the framework alone; ratios are p95 over the baseline's p50.
Wall-clock percentiles are what a reader waits; on a busy machine they mostly measure the
queue for a core, so the table also gives this process's CPU time per request (on SQLite
that includes the database's work; on PostgreSQL the server's CPU is not in it).
Targets: search p95 <= 50 ms, day page p95 <= 30 ms. Prints a table; exits 0 either way.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "treaty", "treaty lisbon", "earthquake", "great fire", "battle of vienna", "comet",
    "composer", "\"peace treaty\"", "opera house", "railway", "independence", "siege",
    "marathon", "cathedral", "university", "volcano or earthquake", "bank -cadiz",
    "explorer", "novelist", "nagoya", "lighthouse", "bridge opens", "stock exchange",
    "hospital founded", "epidemic", "telegraph", "airship", "regatta", "festival",
    "saint", "footballer", "astronomer", "physicist chile", "painter", "portuguese poet",
    "swiss engineer", "eclipse", "parliament reform", "constitution", "armistice",
    "storm harbour", "gold", "pilgrims", "council", "canal", "tower", "symphony",
    "expedition", "coast", "erthquake",
]
assert len(QUERIES) == 50
DAYS = [f"{month}/{day}/" for month, day in [
    (m, d) for m in ("january", "february", "march", "april", "may", "june", "july", "august",
                     "september", "october", "november", "december") for d in (3, 9, 14, 22)
]][:48] + ["february/29/", "december/31/"]
TARGETS = {"search": 50.0, "day page": 30.0}
DATABASES = {
    "sqlite": lambda facts: f"sqlite:///{ROOT / 'var' / 'bench' / f'search-{facts}.sqlite3'}",
    "postgresql": lambda facts: f"postgres://postgres@127.0.0.1:5432/bench_search_{facts}",
}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client, path, params=None):
    """Wall-clock and this process's CPU milliseconds for one request."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} {params or ''} answered {response.status_code}")
    return elapsed, (time.process_time() - cpu) * 1000


def worker(facts):
    """Run inside one database's environment: fill it if needed, time it, print JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from dayfacts.facts.models import Fact

    call_command("migrate", verbosity=0)
    have = Fact.objects.count()
    if have < facts:
        started = time.monotonic()
        call_command("demo-data", facts=facts - have, seed=7, verbosity=0)
        print(f"  filled {facts - have} facts in {time.monotonic() - started:.0f} s",
              file=sys.stderr)
    client = Client()
    for query in QUERIES:  # warm-up: templates, query plans, the database's own caches
        timed(client, "/search/", {"q": query})
    timed(client, "/june/30/")
    result = {
        "facts": Fact.objects.count(),
        "baseline": [timed(client, "/search/") for _ in range(50)],
        "search": [timed(client, "/search/", {"q": query}) for query in QUERIES],
        "day page": [timed(client, "/" + day) for day in DAYS],
    }
    from dayfacts.search import search

    found = {query: search(query) for query in QUERIES}
    result["matches"] = {query: (hits.count(), hits.more) for query, hits in found.items()}
    print(json.dumps(result))


def run(engine, facts):
    env = dict(os.environ, DATABASE_URL=DATABASES[engine](facts), PAGECACHE_ENABLED="0",
               DJANGO_SETTINGS_MODULE="dayfacts.settings", LOG_LEVEL="WARNING")
    if engine == "postgresql":
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
                       capture_output=True)
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    worker_process = subprocess.Popen(
        [sys.executable, __file__, "--worker", "--facts", str(facts)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = worker_process.communicate()
    finally:
        if worker_process.poll() is None:  # stopped from outside: stop the worker too
            worker_process.terminate()
            worker_process.wait(timeout=30)
    output = subprocess.CompletedProcess(worker_process.args, worker_process.returncode,
                                         stdout, stderr)
    if output.returncode:
        raise SystemExit(f"{engine} worker failed:\n{output.stderr[-3000:]}")
    sys.stderr.write(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.facts)
    # make bench stops an overrunning script with SIGTERM: unwind, so the worker stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    rows, notes = [], []
    for engine in args.databases.split(","):
        print(f"{engine}: preparing and timing ...", file=sys.stderr)
        result = run(engine, args.facts)
        base = statistics.median(wall for wall, _ in result["baseline"])
        for what in ("baseline", "search", "day page"):
            wall, cpu = [w for w, _ in result[what]], [c for _, c in result[what]]
            p50, p95 = percentile(wall, 0.5), percentile(wall, 0.95)
            target = TARGETS.get(what)
            verdict = "" if target is None else ("ok" if p95 <= target else "MISSED")
            rows.append((engine, f"{result['facts']:,}", what, len(wall), p50, p95,
                         p95 / base, percentile(cpu, 0.5), percentile(cpu, 0.95),
                         f"<= {target:.0f}" if target else "", verdict))
        slowest = sorted(zip(QUERIES, result["search"], strict=True), key=lambda x: -x[1][0])[:5]
        notes.append(f"{engine}: slowest searches: " + ", ".join(
            f"{q!r} {wall:.0f} ms wall, {cpu:.0f} ms cpu ({result['matches'][q][0]:,}"
            f"{'+' if result['matches'][q][1] else ''} matches)"
            for q, (wall, cpu) in slowest))
    header = ("database", "facts", "measure", "n", "p50 ms", "p95 ms", "p95/base",
              "cpu p50", "cpu p95", "target", "")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for note in notes:
        print(note)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for engine, count, what, n, p50, p95, ratio, cpu50, cpu95, target, verdict in rows:
        print(f"| {engine} | {count} | {what} | {n} | {p50:.1f} | {p95:.1f} | {ratio:.1f}x"
              f" | {cpu50:.1f} | {cpu95:.1f} | {target} | {verdict} |")


if __name__ == "__main__":
    main()
