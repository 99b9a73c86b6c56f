"""`dayfacts serve` keeps the site up: a child process that dies (the task worker, the
newsletter scheduler, one of the web server's workers) comes back while the site goes on
answering, and a child that cannot start at all stops serve with the reason.

Real `dayfacts serve` processes on free ports, each on a SQLite file of the test's own.
"""

import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.servers import DAYFACTS, free_port, get, site_env

from .servers import run


def children(pid):
    """The pids of a process's children (none once it has gone)."""
    pids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def processes(serve):
    """Map each part serve runs to its pids: web (granian), web worker, worker, scheduler."""
    found = {"web": [], "web worker": [], "worker": [], "scheduler": []}
    for pid in children(serve.pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "granian" in argv:
            found["web"].append(pid)
            found["web worker"] += children(pid)
        elif "worker" in argv:
            found["worker"].append(pid)
        elif "tick" in argv:
            found["scheduler"].append(pid)
    return found


class Poller(threading.Thread):
    """GET a page every 100 ms and keep every answer that was not a 200."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.running = True
        self.answers = 0
        self.failures = []

    def run(self):
        while self.running:
            try:
                try:
                    status = get(self.url, timeout=5)[0]
                except ConnectionResetError:
                    # The request was on the worker just killed; a browser sends an idempotent
                    # request again on a reset connection, and so does this reader, once.
                    status = get(self.url, timeout=5)[0]
            except OSError as error:
                status = repr(error)
            self.answers += 1
            if status != 200:
                self.failures.append(status)
            time.sleep(0.1)


def serve(env, port, *options):
    return subprocess.Popen(
        [*DAYFACTS, "serve", "--port", str(port), *options], env=env,
        cwd=env["DAYFACTS_VAR_DIR"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        raise


@pytest.fixture
def site(tmp_path):
    """The environment of a migrated site on a SQLite file of its own."""
    env = site_env(tmp_path, LOG_LEVEL="WARNING")
    result = run(["migrate", "--noinput", "-v0"], env)
    assert result.returncode == 0, result.stderr
    return env


def test_serve_brings_back_each_killed_child_while_the_site_answers(site):
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    server = serve(site, port, "--workers", "2")
    poller = Poller(url)
    try:
        deadline = time.monotonic() + 60
        while True:
            running = processes(server)
            if len(running["web worker"]) == 2 and running["worker"] and running["scheduler"]:
                try:
                    if get(url, timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        poller.start()

        for part in ("worker", "scheduler", "web worker"):
            before = processes(server)[part]
            killed = before[0]
            subprocess.run(["kill", "-KILL", str(killed)], check=True)
            deadline = time.monotonic() + 10
            while True:
                now = processes(server)[part]
                if len(now) == len(before) and killed not in now:
                    break
                assert time.monotonic() < deadline, f"no new {part} 10 s after the kill"
                time.sleep(0.1)
        assert server.poll() is None, "serve stopped"
        time.sleep(1)  # and a little longer, while the new web worker starts
    finally:
        poller.running = False
        log = stop(server)
    poller.join()
    assert poller.answers > 20 and poller.failures == []
    assert server.returncode == 0, log[-3000:]
    assert "worker (pid" in log and "ended with signal SIGKILL" in log
    assert "scheduler restarted (pid" in log
    assert "Respawning worker-" in log  # granian's own line for its web worker


def test_serve_stops_with_the_reason_when_a_child_fails_at_once_again_and_again(site):
    # Another program holds the port: the web server exits at once, every time.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = serve(site, taken.getsockname()[1], "--workers", "1")
        try:
            _, log = server.communicate(timeout=90)
        finally:
            if server.poll() is None:
                server.kill()
    assert server.returncode == 1
    assert log.count("web restarted (pid") == 4
    assert ("web ended 5 times in a row within 10 s of starting (last: exit code 1); it "
            "will not start, so serve stops.") in log
    assert "Address already in use" in log  # the server's own message says why
    # The worker and the scheduler, which were running fine, stopped with it.
    assert "Received Terminated - shutting down gracefully" in log
