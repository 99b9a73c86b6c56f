"""Newsletter sending speed and worker memory (issue 4's speed section).

    .venv/bin/python bench/newsletter.py [--sizes 10000 100000] [--baseline 10000]

For each list size, on a fresh SQLite database in a temporary folder: N confirmed daily
subscribers and today's featured fact; `dayfacts newsletter tick` queues the edition, then
one `dayfacts worker --batch` process sends it all to a local aiosmtpd sink (in its own
process) through EMAIL_URL=smtp://. "End to end" is N over tick plus worker time, process
start-ups included. The baseline is a bare smtplib loop sending one prebuilt edition message
over one connection to the same sink, measured just before and just after each size's send
(the mean of the two, as the load of a shared machine drifts). The worker's peak RSS comes
from the kernel's accounting of that process (wait4); its peak anonymous RSS (its own
memory, without the pages of the SQLite file it maps) is sampled from /proc. Prints a
table; exits 0.
"""

import argparse
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SINK = """
import signal, sys, threading
from aiosmtpd.controller import Controller

class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
controller.stop()
print(Count.n, flush=True)
"""

SEED = """
import datetime as dt
from django.utils import timezone
from dayfacts.days import MonthDay
from dayfacts.facts.models import Fact, Kind
from dayfacts.newsletter.models import Subscriber
today = MonthDay.today()
past = timezone.now() - dt.timedelta(days=1)
body = "\\n\\n".join(["A paragraph of about the length the almanac's articles have, "
                      "telling what happened and why it mattered to the people there."] * 4)
Fact.objects.create(month=today.month, day=today.day, year=1900, title="The benchmark fact",
                    body=body, featured=True, status="published", publish_at=past)
for n, kind in enumerate([Kind.EVENT] * 6 + [Kind.BIRTH] * 3 + [Kind.DEATH] * 3):
    Fact.objects.create(month=today.month, day=today.day, year=1800 + n, kind=kind,
                        title=f"Entry {{n}}", status="published", publish_at=past)
N = {size}
for start in range(0, N, 5000):
    Subscriber.objects.bulk_create([
        Subscriber(email=f"reader{{i}}@bench.example", delivery_hour=0, time_zone="UTC",
                   status="active", key=f"k{{i}}")
        for i in range(start, min(N, start + 5000))])
"""

SAMPLE = """
from dayfacts.newsletter.mail import EditionMail
from dayfacts.newsletter.models import Edition, Subscriber
mail = EditionMail(Edition.objects.get())
message = mail.for_subscriber(Subscriber.objects.first())
import sys
sys.stdout.buffer.write(message.as_bytes(linesep="\\r\\n"))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dayfacts(env, *args):
    result = subprocess.run([sys.executable, "-m", "dayfacts", *args], env=env,
                            capture_output=True, cwd=ROOT)
    if result.returncode:
        sys.exit(f"dayfacts {' '.join(args[:2])} failed:\n{result.stderr.decode()[-2000:]}")
    return result.stdout


def sample_anonymous_rss(pid, samples):
    """Collect the process's anonymous RSS (kB) until it exits: its own memory, without the
    pages of the SQLite file it maps (SQLite's mmap_size), which grow with the database."""
    path = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = path.read_text()
        except (FileNotFoundError, ProcessLookupError):
            return
        for line in text.splitlines():
            if line.startswith("RssAnon:"):
                samples.append(int(line.split()[1]))
        if "State:\tZ" in text:
            return
        time.sleep(0.2)


def bare_loop(port, message, count):
    """Send one prebuilt message `count` times over one connection; return messages/s."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.sendmail("news@bench.example", ["reader@bench.example"], message)
    return count / (time.perf_counter() - started)


def run_size(size, baseline_count, port, folder):
    env = {k: v for k, v in os.environ.items() if k != "DAYFACTS_TEST_DB_NAME"}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / f'bench-{size}.sqlite3'}",
        DAYFACTS_VAR_DIR=str(folder), EMAIL_URL=f"smtp://127.0.0.1:{port}",
        SITE_URL="https://dayfacts.example", LOG_LEVEL="WARNING",
    )
    dayfacts(env, "migrate", "--noinput", "-v0")
    dayfacts(env, "shell", "-c", SEED.format(size=size))

    started = time.perf_counter()
    dayfacts(env, "newsletter", "tick")
    tick_seconds = time.perf_counter() - started

    sample = dayfacts(env, "shell", "-c", SAMPLE)
    message = sample[sample.index(b"Content-Type"):] if b"Content-Type" in sample else sample
    before = bare_loop(port, message, baseline_count)

    started = time.perf_counter()
    worker = subprocess.Popen([sys.executable, "-m", "dayfacts", "worker", "--batch"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    anonymous = []
    sampler = threading.Thread(target=sample_anonymous_rss, args=(worker.pid, anonymous))
    sampler.start()
    try:
        _, status, usage = os.wait4(worker.pid, 0)
    finally:
        if worker.returncode is None and worker.poll() is None:
            worker.terminate()
    send_seconds = time.perf_counter() - started
    sampler.join()
    worker.returncode = os.waitstatus_to_exitcode(status)
    # The baseline is taken on both sides of the send and averaged, as the load of a shared
    # machine drifts during a run of minutes.
    baseline = (before + bare_loop(port, message, baseline_count)) / 2
    sent = dayfacts(env, "shell", "-c",
                    "from dayfacts.newsletter.models import Delivery\n"
                    "print(Delivery.objects.filter(status='sent').count())").split()[-1]
    return {
        "size": size, "tick": tick_seconds, "send": send_seconds, "sent": int(sent),
        "rate": size / (tick_seconds + send_seconds), "send_rate": size / send_seconds,
        "baseline": baseline, "rss_mb": usage.ru_maxrss / 1024,
        "anon_mb": max(anonymous, default=0) / 1024,
        "worker_exit": worker.returncode, "message_bytes": len(message),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--baseline", type=int, default=10_000,
                        help="messages each bare smtplib loop sends (default 10000)")
    args = parser.parse_args()

    # make bench stops a script that runs too long with SIGTERM: leave through the finally
    # clauses, so the sink and the worker stop too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdout=subprocess.PIPE,
                            text=True)
    assert sink.stdout.readline().strip() == "ready"
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="dayfacts-bench-") as folder:
            for size in args.sizes:
                rows.append(run_size(size, args.baseline, port, Path(folder)))
    finally:
        sink.terminate()
        received = sink.communicate(timeout=30)[0].split()
    print("| subscribers | tick s | send s | sent | end to end msg/s | bare loop msg/s "
          "| ratio | worker peak RSS MB | worker anonymous RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['size']:,} | {row['tick']:.1f} | {row['send']:.1f} | {row['sent']:,} "
              f"| {row['rate']:.0f} | {row['baseline']:.0f} | {row['rate'] / row['baseline']:.2f} "
              f"| {row['rss_mb']:.1f} | {row['anon_mb']:.1f} |")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nTarget: ratio >= 0.70; worker RSS under 300 MB and flat with list size. "
          f"Message size {rows[0]['message_bytes']:,} bytes; the sink received "
          f"{received[-1] if received else '?'} messages in all (bare loops included). "
          f"Load average at the end: {load} on {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
