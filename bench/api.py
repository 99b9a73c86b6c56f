"""The on-this-day API's throughput beside the HTML day page (issue 5's speed section).

    .venv/bin/python bench/api.py [--seconds 10] [--workers 2]

Fills a SQLite benchmark database once (later runs reuse it) with the Wikipedia on-this-day
data set from ../shared/data/wikipedia-onthisday/ (history.muffinlabs.com's files) when the
`muffinlabs` import format is there, else with the same number of synthetic facts
(`dayfacts demo-data`). Then serves it
with `dayfacts serve --web-only` (granian, the deployed configuration) on a free loopback
port and drives, with wrk, for --seconds each:

  - /api/v1/feed/onthisday/all/03/20  (the Wikipedia-compatible answer, every kind)
  - /march/20/                        (the HTML day page: the baseline, in the same run)
  - /healthz                          (the floor: the first middleware and nothing else)

at 16 and 64 connections; then the API once more through the nginx front cache of
deploy/nginx/ (started as the page cache's tests start it), which serves it for its
s-maxage. Prints requests/s and p99 latency and each row's ratio to the page. The API's
rate limit is raised for the run: every request comes from one address.
Target (issue 5): more than 3,900 requests/s, p99 at most 50 ms at 64 connections.
Needs wrk (`apt-get install -y wrk`). Exits 0 either way.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pagecache.servers import NGINX, Nginx  # noqa: E402

DATA = Path(os.environ.get("DAYFACTS_SHARED_DATA", ROOT.parent / "shared" / "data"))
WIKIPEDIA = DATA / "wikipedia-onthisday"
# The Wikipedia set's size (17.6k events, 79k births, 36k deaths), for the synthetic stand-in.
FACTS = 133_000
URLS = {"API onthisday/all/03/20": "/api/v1/feed/onthisday/all/03/20",
        "HTML /march/20/": "/march/20/",
        # The framework's floor: every middleware, no database, a few bytes.
        "floor /healthz": "/healthz"}
CONNECTIONS = (16, 64)
TARGET_RPS, TARGET_P99_MS = 3900, 50.0


def dayfacts(*args, env, quiet=True):
    """Run a dayfacts command against the benchmark database."""
    return subprocess.run([sys.executable, "-m", "dayfacts", *args], env=env, check=True,
                          cwd=ROOT, stdout=subprocess.PIPE if quiet else None, text=True)


def fill(env, database):
    """Create the database once: the real data set when it can be imported, else synthetic."""
    marker = database.with_suffix(".source")
    if database.exists() and marker.exists():
        return marker.read_text()
    database.unlink(missing_ok=True)
    dayfacts("migrate", "--noinput", env=env)
    formats = dayfacts("import", "--list", env=env).stdout
    started = time.monotonic()
    if WIKIPEDIA.is_dir() and re.search(r"\bmuffinlabs\b", formats):
        dayfacts("import", "muffinlabs", str(WIKIPEDIA), "--skip-bad", "--no-progress",
                 env=env)
        source = "Wikipedia on-this-day data set"
    else:
        dayfacts("demo-data", "--facts", str(FACTS), "--seed", "5", env=env)
        source = f"{FACTS:,} synthetic facts (demo-data)"
    print(f"  filled the database in {time.monotonic() - started:.0f} s", file=sys.stderr)
    marker.write_text(source)
    return source


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, connections, seconds):
    """Drive `url` with wrk; return (requests/s, p99 ms, non-2xx/3xx answers)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad[1]) if bad else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="Seconds per measurement.")
    parser.add_argument("--workers", type=int, default=2, help="Server workers.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    database = ROOT / "var" / "bench" / "api.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "0",
           "DAYFACTS_API_RATE_LIMIT": "100000000/s", "LOG_LEVEL": "WARNING"}
    source = fill(env, database)
    count = dayfacts("shell", "-c", "from dayfacts.facts.models import Fact;"
                     "print(Fact.objects.published().count())", env=env).stdout.split()[-1]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "dayfacts", "serve", "--web-only", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    api_path, html_path, _ = URLS.values()
    try:
        wait_until_up(base, server)
        for path in URLS.values():  # warm-up: each worker builds its answers and templates
            for _ in range(20):
                with urllib.request.urlopen(base + path) as answer:
                    size = len(answer.read())
            results[path, "size"] = size
        for connections in CONNECTIONS:
            for path in URLS.values():
                results[path, connections] = wrk(base + path, connections, args.seconds)
        if NGINX:
            front = Nginx(database.parent / "nginx-api", app_port=port).wait_until_up()
            try:
                for connections in CONNECTIONS:
                    results["front", connections] = wrk(front.url + api_path, connections,
                                                        args.seconds)
            finally:
                front.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"\nData: {source}, {count} published facts; SQLite; "
          f"`dayfacts serve` with {args.workers} workers; wrk -t2, {args.seconds} s each.\n")
    print(f"| {'endpoint':<26} | {'body':>8} | {'conns':>5} | {'requests/s':>10} | "
          f"{'p99 ms':>7} | {'errors':>6} | {'vs HTML':>7} |")
    print(f"|{'-' * 28}|{'-' * 10}|{'-' * 7}|{'-' * 12}|{'-' * 9}|{'-' * 8}|{'-' * 9}|")
    rows = [(name, path) for name, path in URLS.items()]
    if ("front", 16) in results:
        rows.append(("API via nginx front cache", "front"))
        results["front", "size"] = results[api_path, "size"]
    for connections in CONNECTIONS:
        for name, path in rows:
            rps, p99, bad = results[path, connections]
            ratio = rps / results[html_path, connections][0]
            print(f"| {name:<26} | {results[path, 'size'] / 1024:>6.0f}KB | {connections:>5} | "
                  f"{rps:>10,.0f} | {p99:>7.1f} | {bad:>6} | {ratio:>6.2f}x |")
    rps64, p99_64, _ = results[api_path, 64]
    verdict = "met" if rps64 > TARGET_RPS and p99_64 <= TARGET_P99_MS else "NOT met"
    print(f"\nTarget (> {TARGET_RPS:,} requests/s and p99 <= {TARGET_P99_MS:.0f} ms at 64 "
          f"connections on the API, served by the app itself): {verdict}.")
    if ("front", 64) in results:
        rps, p99, _ = results["front", 64]
        verdict = "met" if rps > TARGET_RPS and p99 <= TARGET_P99_MS else "NOT met"
        print(f"Behind the deployed nginx front cache: {rps:,.0f} requests/s, p99 {p99:.1f} ms: "
              f"{verdict}.")
    print(json.dumps({"api_64": {"rps": rps64, "p99_ms": p99_64}}), file=sys.stderr)


if __name__ == "__main__":
    main()
