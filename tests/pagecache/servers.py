"""Real processes for the page cache's tests and benchmarks: app servers, nginx, `dayfacts`.

bench/ imports this module too, so the benchmarks start servers exactly as the tests do.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers import DAYFACTS, REPO, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


# How each server candidate runs the site; `{port}` and `{workers}` are filled in.
SERVERS = {
    "serve": [*DAYFACTS, "serve", "--web-only", "--port", "{port}", "--workers", "{workers}"],
    "gunicorn-sync": [sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
                      "--bind", "127.0.0.1:{port}", "--workers", "{workers}"],
    "gunicorn-gthread": [sys.executable, "-m", "gunicorn", "dayfacts.wsgi:application",
                         "--bind", "127.0.0.1:{port}", "--workers", "{workers}",
                         "--worker-class", "gthread", "--threads", "4"],
    "granian": [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                "--port", "{port}", "--workers", "{workers}", "--no-ws",
                "--blocking-threads", "1", "dayfacts.wsgi:application"],
}


def dayfacts(argv, env, timeout=600):
    """Run a `dayfacts` command; raise with its output when it fails."""
    done = subprocess.run([*DAYFACTS, *argv], env=env, cwd=env["DAYFACTS_VAR_DIR"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"dayfacts {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Process:
    """A started process that answers HTTP on a loopback port; stop() ends it and its group."""

    def __init__(self, argv, env, log_path, cwd=None):
        self.log_path = Path(log_path)
        self.process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, path="/healthz", timeout=60):
        """Wait until GET path answers; fail with the process's log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.url} did not come up:\n{self.log_path.read_text()[-3000:]}")

    def pids(self):
        """The ids of this process and all its descendants."""
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            queue.extend(int(child) for child in children)
        return found

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class AppServer(Process):
    """The site under one of SERVERS, with `workers` worker processes, on a free port."""

    def __init__(self, env, kind="serve", workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.kind = kind
        argv = [part.format(port=self.port, workers=workers) for part in SERVERS[kind]]
        var_dir = Path(env["DAYFACTS_VAR_DIR"])
        super().__init__(argv, env, var_dir / f"{kind}-{self.port}.log", cwd=var_dir)

    def worker_pids(self):
        """The worker processes (every descendant that runs the app, not the supervisor)."""
        return [pid for pid in self.pids() if not _children(pid)]


def _children(pid):
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def rss_mb(pid):
    """Resident memory of a process in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


NGINX_CONF = """\
{user}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {prefix}/client;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{upstream}
{static}
}}
"""

FRONT_CACHE = """\
    upstream dayfacts_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=dayfacts:10m use_temp_path=off;
    include {repo}/deploy/nginx/dayfacts-http.conf;
    server {{
        listen 127.0.0.1:{port};
        location / {{ include {repo}/deploy/nginx/dayfacts-proxy.conf; }}
    }}
"""

STATIC_SITE = """\
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
"""


class Nginx(Process):
    """Debian's nginx with its own prefix in `prefix`: a front cache for `app_port` (the
    configuration in deploy/nginx/) and/or a static site serving `root`."""

    def __init__(self, prefix, app_port=None, root=None, workers=2):
        prefix = Path(prefix)
        prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.static_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.static_url = f"http://127.0.0.1:{self.static_port}"
        upstream = FRONT_CACHE.format(app_port=app_port, prefix=prefix, repo=REPO,
                                      port=self.port) if app_port else ""
        static = STATIC_SITE.format(port=self.static_port, root=root) if root else ""
        if not app_port:
            self.url = self.static_url
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "", workers=workers, prefix=prefix,
            upstream=upstream, static=static,
        ))
        super().__init__([NGINX, "-p", str(prefix), "-c", str(conf), "-e",
                          str(prefix / "error.log"), "-g", "daemon off;"],
                         os.environ.copy(), prefix / "nginx.out")

    def wait_until_up(self, path="/", timeout=20):
        return super().wait_until_up(path, timeout)


SEED = """
import datetime as dt
from dayfacts.facts.models import Fact, Status
epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
Fact.objects.create(month=3, day=20, year=1952, title="The Senate ratifies the treaty",
                    slug="senate-ratifies", featured=True, status=Status.PUBLISHED,
                    publish_at=epoch, body="The vote was decisive.")
Fact.objects.create(month=3, day=21, year=1946, title="The Rams sign Kenny Washington",
                    featured=True, status=Status.PUBLISHED, publish_at=epoch)
"""


def retitle(env, slug, title):
    """Edit a fact's title from a process of its own, as an editor's save would."""
    dayfacts(["shell", "-c", "from dayfacts.facts.models import Fact\n"
              f"fact = Fact.objects.get(slug={slug!r})\nfact.title = {title!r}\nfact.save()"],
             env)
