"""Which server runs the site fastest: the cached day page under each candidate.

    .venv/bin/python bench/servers.py

gunicorn with sync workers, gunicorn with gthread workers (4 threads) and granian (WSGI,
one Python thread per worker, as `dayfacts serve --server granian` runs it), each with 2
worker processes, serving the starter almanac's cached day page; wrk on
loopback with 2 threads at 16 and 64 connections (BENCH_SECONDS, default 10, per run);
then the workers' resident memory. `dayfacts serve` runs the winner (docs/caching.md).
Prints a table; exits 0.
"""

from _wrk import (
    CONNECTIONS,
    DAY_PAGE,
    AppServer,
    load_row,
    prepared_site,
    print_table,
    rss_mb,
    site_env,
    wrk,
)

CANDIDATES = ["gunicorn-sync", "gunicorn-gthread", "granian"]


def main():
    env = site_env(prepared_site("almanac"))
    rows = []
    for kind in CANDIDATES:
        with AppServer(env, kind=kind, workers=2) as server:
            server.wait_until_up()
            wrk(server.url + DAY_PAGE, 16, seconds=2)  # warm both workers' caches
            for connections in CONNECTIONS:
                row = load_row(kind, connections, wrk(server.url + DAY_PAGE, connections))
                rss = [rss_mb(pid) for pid in server.worker_pids()]
                rows.append([*row, f"{max(rss):.0f}"])
    print("Cached day page /march/20/ by server, 2 worker processes each, wrk -t2:")
    print_table(["server", "conns", "requests/s", "p50 ms", "p99 ms", "errors",
                 "worker MB"], rows)


if __name__ == "__main__":
    main()
