"""Posting comments while the day page is under read load, on SQLite (issue 3's speed section).

    .venv/bin/python bench/comments.py [--seconds 8] [--readers 16] [--writers 2]

Starts the site with gunicorn (2 sync workers, as `dayfacts serve` does) on a free loopback
port over a fresh SQLite database in a temporary folder, with one day whose leading fact the
writers comment on. For each page-cache setting (on, as shipped; off, every read rendered) it
measures, each phase for --seconds:
  - readers alone: 16 threads fetching /march/20/ (the baseline read throughput);
  - writers alone: 2 threads posting comments to the day's leading fact (the baseline post
    latency);
  - both at once: the same readers and writers together, the writers posting flat out;
  - both at once, each writer posting once every --pace seconds (a busy discussion).
Writers are known commenters, so each post is published and changes the page the readers read.
Flood control, the rate limit and the time-to-fill check are switched off through their
settings, as one address posts continuously. Prints a table; exits 0 either way.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DAY_PAGE = "/march/20/"
FACT_SLUG = "bench-leading-fact"
WRITER_EMAIL = "writer{}@bench.example"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare():
    """Run inside the benchmark's environment: migrate and add the day and the commenters."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from dayfacts.comments.models import Comment, CommentStatus
    from dayfacts.facts.models import Fact, Kind, Status

    call_command("migrate", verbosity=0)
    published = {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(days=1)}
    lead = Fact.objects.create(month=3, day=20, year=1952, title="A bench leading fact",
                               slug=FACT_SLUG, body="A short article. " * 40, featured=True,
                               **published)
    kinds = [Kind.EVENT, Kind.BIRTH, Kind.DEATH, Kind.HOLIDAY]
    Fact.objects.bulk_create([
        Fact(month=3, day=20, year=1000 + n, title=f"Bench entry {n}", slug=f"bench-entry-{n}",
             summary="One plain sentence about it.", kind=kinds[n % 4], notability=n,
             **published)
        for n in range(80)
    ])
    # More than a page of earlier comments, so the day page shows a full first page from the
    # start and weighs the same in every phase; new comments go to later pages.
    for n in range(60):
        writer = n % 32
        Comment.objects.create(fact=lead, name=f"Writer {writer}",
                               email=WRITER_EMAIL.format(writer), text=f"Earlier comment {n}.",
                               status=CommentStatus.APPROVED, ip="127.0.0.2")


class Site:
    """The site under gunicorn on a free loopback port, stopped on exit."""

    def __init__(self, env):
        self.port = free_port()
        self.env = env
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", DAY_PAGE)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("the site did not start:\n" + self.process.stderr.read().decode()[-3000:])

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(port, method, path, body=None, headers=None):
    """One request on its own connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie", "")
    finally:
        connection.close()


def reader(port, stop, latencies, errors):
    while not stop.is_set():
        started = time.perf_counter()
        status, _, _ = request(port, "GET", DAY_PAGE)
        if status == 200:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(status)


def known_commenter(port, number, issued, headers):
    """The cookie of a browser whose first comment a moderator approved: its later comments
    are published at once, each one a change every cached page must show."""
    from dayfacts.comments.models import Comment, CommentStatus

    body = urlencode({"issued": issued, "name": f"Writer {number}", "consent": "on",
                      "email": WRITER_EMAIL.format(number), "parent": "",
                      "text": f"A first comment from writer {number}."})
    _, _, cookies = request(port, "POST", f"/comments/post/{FACT_SLUG}/", body, headers)
    Comment.objects.filter(email=WRITER_EMAIL.format(number)).update(
        status=CommentStatus.APPROVED)
    return "dayfacts_author=" + re.search(r"dayfacts_author=([^;]+)", cookies)[1]


def writer(port, number, stop, latencies, errors, pace=0.0):
    status, page, cookies = request(port, "GET", f"/facts/{FACT_SLUG}/")
    issued = re.search(rb'name="issued" value="([^"]+)"', page)[1].decode()
    # What a browser sends with a form from the site's own page.
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Sec-Fetch-Site": "same-origin"}
    headers["Cookie"] = known_commenter(port, number, issued, headers)
    sequence = 0
    while not stop.is_set():
        sequence += 1
        body = urlencode({
            "issued": issued, "name": f"Writer {number}",
            "email": WRITER_EMAIL.format(number), "consent": "on", "parent": "",
            "text": f"Comment {sequence} from writer {number} at {time.time():.6f}.",
        })
        started = time.perf_counter()
        status, _, _ = request(port, "POST", f"/comments/post/{FACT_SLUG}/", body, headers)
        if status == 302:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(status)
        if pace:
            stop.wait(max(0.0, pace - (time.perf_counter() - started)))


def phase(port, seconds, readers, writers, offset=0, pace=0.0):
    """Run readers and writers together for `seconds`; return what each side measured."""
    stop = threading.Event()
    reads, read_errors, posts, post_errors = [], [], [], []
    threads = [threading.Thread(target=reader, args=(port, stop, reads, read_errors))
               for _ in range(readers)]
    threads += [threading.Thread(target=writer,
                                 args=(port, offset + n, stop, posts, post_errors, pace))
                for n in range(writers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"reads": reads, "read_errors": read_errors, "posts": posts,
            "post_errors": post_errors, "elapsed": elapsed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--pace", type=float, default=2.0,
                        help="seconds between one writer's posts in the paced phase")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare()

    rows = []
    for pagecache in ("on", "off"):
        with tempfile.TemporaryDirectory(prefix="dayfacts-bench-comments-") as folder:
            env = dict(
                os.environ, DJANGO_SETTINGS_MODULE="dayfacts.settings", DAYFACTS_VAR_DIR=folder,
                DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", LOG_LEVEL="WARNING",
                PAGECACHE_ENABLED="1" if pagecache == "on" else "0",
                COMMENTS_FLOOD_SECONDS="0", COMMENTS_MIN_FILL_SECONDS="0",
                COMMENTS_RATE_LIMIT="1000000/m", EMAIL_URL="dummy://",
            )
            env.pop("REDIS_URL", None)
            subprocess.run([sys.executable, __file__, "--prepare", "yes"], env=env, cwd=ROOT,
                           check=True)
            print(f"page cache {pagecache}: measuring ...", file=sys.stderr)
            with Site(env) as site:
                phase(site.port, 2, args.readers, 0)  # warm-up: workers, templates, caches
                alone = phase(site.port, args.seconds, args.readers, 0)
                writing = phase(site.port, args.seconds, 0, args.writers)
                both = phase(site.port, args.seconds, args.readers, args.writers,
                             offset=args.writers)
                paced = phase(site.port, args.seconds, args.readers, args.writers,
                              offset=2 * args.writers, pace=args.pace)
            rows.append((pagecache, alone, writing, both, paced))

    header = ("page cache, phase", "reads/s", "read p50 ms", "read p99 ms", "posts",
              "post p50 ms", "post p99 ms", "errors")
    print(f"{args.readers} readers of {DAY_PAGE}, {args.writers} writers posting to its leading "
          f"fact, {args.seconds:.0f} s a phase, SQLite (WAL), gunicorn 2 sync workers")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    summary = []
    for pagecache, alone, writing, both, paced in rows:
        for name, result in (("readers alone", alone), ("writers alone", writing),
                             ("readers + writers", both),
                             (f"readers + writers posting every {args.pace:g} s", paced)):
            reads, posts = result["reads"], result["posts"]
            rate = len(reads) / result["elapsed"]
            errors = len(result["read_errors"]) + len(result["post_errors"])
            print(f"| cache {pagecache}, {name} | {rate:.1f} | {percentile(reads, .5):.1f} | "
                  f"{percentile(reads, .99):.1f} | {len(posts)} | {percentile(posts, .5):.1f} | "
                  f"{percentile(posts, .99):.1f} | {errors} |")
        base = len(alone["reads"]) / alone["elapsed"]
        lost = 1 - (len(both["reads"]) / both["elapsed"]) / base
        lost_paced = 1 - (len(paced["reads"]) / paced["elapsed"]) / base
        slower = statistics.median(both["posts"]) / statistics.median(writing["posts"]) \
            if both["posts"] and writing["posts"] else float("nan")
        summary.append(f"page cache {pagecache}: read throughput lost to {args.writers} writers "
                       f"{lost:.0%} (posting flat out), {lost_paced:.0%} (one post every "
                       f"{args.pace:g} s each); post p50 under read load {slower:.1f}x the "
                       "writers-alone p50")
    print()
    print("\n".join(summary))


if __name__ == "__main__":
    main()
