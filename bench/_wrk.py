"""Helpers for the page cache's bench scripts: a site to measure, wrk runs, table rows.

Servers and nginx are started with the same code as the tests (tests/pagecache/servers.py).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Stopped by run_all's time limit: unwind, so every `with` stops the servers it started.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))

from tests.pagecache.servers import NGINX, AppServer, Nginx, dayfacts, rss_mb  # noqa: E402
from tests.servers import get, site_env  # noqa: E402

__all__ = ["NGINX", "AppServer", "Nginx", "dayfacts", "get", "rss_mb", "site_env"]

SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = (16, 64)
DAY_PAGE = "/march/20/"
TRIVIAL = "/bench/trivial/"

# wrk prints this JSON line when a run ends: requests, errors, latency percentiles, and every
# latency seen with its count ([microseconds, requests]), from which runs are added up.
REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  local counts = {}
  for i = 1, #latency do
    local value, count = latency(i)
    counts[i] = string.format("[%d, %d]", value, count)
  end
  io.write(string.format(
    'WRK {"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.3f, "p99_ms": %.3f, '
    .. '"latency_us": [%s]}\\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(counts, ", ")))
end
"""


def wrk(url, connections, seconds=SECONDS, headers=None, timeout=2):
    """Load `url` with wrk (2 threads) and return requests/s, p50, p99 and errors.

    A request unanswered after `timeout` seconds counts as an error (wrk's own default).
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT)
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
            "--latency", "-s", script.name]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    try:
        out = subprocess.run([*argv, url], capture_output=True, text=True, check=True,
                             timeout=seconds + 60).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    result = json.loads(line[4:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def wrk_in_turns(cases, connections, seconds=SECONDS, turns=None):
    """Load each of `cases` ([(name, url)]) for `seconds` in all, in turns of a second or two
    taken one case after the other; return {name: wrk's figures over all its turns}.

    The figures are compared with each other (the app against nginx): in turns, a change in
    the machine's load while they run falls on all of them alike.
    """
    turns = turns or max(1, seconds // 2)
    runs = {name: [] for name, _ in cases}
    for _ in range(turns):
        for name, url in cases:
            runs[name].append(wrk(url, connections, seconds=max(1, seconds // turns)))
    return {name: added_up(results) for name, results in runs.items()}


def added_up(results):
    """wrk's figures for several runs taken as one: the percentiles of all their requests."""
    latencies = {}
    for result in results:
        for value, count in result["latency_us"]:
            latencies[value] = latencies.get(value, 0) + count
    requests = sum(result["requests"] for result in results)
    elapsed = sum(result["seconds"] for result in results)
    return {"requests": requests, "seconds": elapsed, "rps": requests / elapsed,
            "errors": sum(result["errors"] for result in results),
            "p50_ms": percentile(latencies, 50) / 1000, "p99_ms": percentile(latencies, 99) / 1000,
            "latency_us": sorted(latencies.items())}


def percentile(latencies, p):
    """The `p`th percentile of {microseconds: count}, ranked as wrk ranks it."""
    rank = round(p / 100 * sum(latencies.values()) + 0.5)
    seen = 0
    for value in sorted(latencies):
        seen += latencies[value]
        if seen >= rank:
            return value
    return 0


def prepared_site(name, almanac=True, facts=0):
    """A var directory under var/bench/ with a migrated SQLite database, made once and reused:
    the starter almanac, and/or `facts` synthetic facts from `dayfacts demo-data`."""
    var_dir = ROOT / "var" / "bench" / name
    done = var_dir / "prepared"
    if done.exists():
        # A site made before the last migrations: bring its database up to date.
        dayfacts(["migrate", "--noinput", "-v0"], site_env(var_dir))
        return var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    env = site_env(var_dir)
    started = time.monotonic()
    dayfacts(["migrate", "--noinput", "-v0"], env)
    if almanac:
        dayfacts(["load_almanac"], env)
    if facts:
        dayfacts(["demo-data", "--facts", str(facts), "--seed", "8"], env, timeout=3600)
    done.write_text("ok\n")
    print(f"  prepared {var_dir} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return var_dir


def row_line(cells, widths):
    return "| " + " | ".join(str(c).rjust(w) if i else str(c).ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"


def print_table(header, rows):
    """Print a Markdown table."""
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    print(row_line(header, widths))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(row_line(row, widths))


def load_row(case, connections, result):
    return [case, connections, f"{result['rps']:,.0f}", f"{result['p50_ms']:.2f}",
            f"{result['p99_ms']:.2f}", result["errors"]]


LOAD_HEADER = ["case", "conns", "requests/s", "p50 ms", "p99 ms", "errors"]
