"""The day page served by `make run`'s server, beside a trivial view on the same server.

    .venv/bin/python bench/daypage.py

Issue 2's speed figure: the starter almanac, `dayfacts serve --web-only` (2 workers, the
page cache on, as `make run` serves it), wrk on loopback with 2 threads at 16 and 64
connections, BENCH_SECONDS (default 10) per run. The trivial view (/bench/trivial/, routed
with DAYFACTS_BENCH_VIEWS=1) shows the framework's floor. Prints a table; exits 0.
"""

from _wrk import (
    CONNECTIONS,
    DAY_PAGE,
    LOAD_HEADER,
    TRIVIAL,
    AppServer,
    get,
    load_row,
    prepared_site,
    print_table,
    site_env,
    wrk,
)


def main():
    var_dir = prepared_site("almanac")
    env = site_env(var_dir, DAYFACTS_BENCH_VIEWS=1)
    rows = []
    with AppServer(env, kind="serve", workers=2) as server:
        server.wait_until_up()
        size = len(get(server.url + DAY_PAGE)[2].encode())
        for connections in CONNECTIONS:
            for case, path in (("day page /march/20/", DAY_PAGE), ("trivial view", TRIVIAL)):
                rows.append(load_row(case, connections, wrk(server.url + path, connections)))
    print(f"Day page ({size / 1024:.0f} KB) and trivial view, `dayfacts serve` with 2 workers, "
          "starter almanac, wrk -t2:")
    print_table(LOAD_HEADER, rows)


if __name__ == "__main__":
    main()
