"""deploy/: the container's entrypoint and the image's build steps, run outside a container."""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import REPO, free_port, get, site_env

ENTRYPOINT = REPO / "deploy" / "entrypoint.sh"
DOCKERFILE = REPO / "deploy" / "Dockerfile"


def entrypoint_env(tmp_path, **variables):
    env = site_env(tmp_path, **variables)
    # The image puts `dayfacts` on PATH; here it is the virtualenv's.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def entrypoint(args, env, timeout=120):
    return subprocess.run(["sh", str(ENTRYPOINT), *args], env=env, cwd=env["DAYFACTS_VAR_DIR"],
                          capture_output=True, text=True, timeout=timeout)


def test_web_migrates_and_serves_then_worker_tick_and_commands_run(tmp_path):
    port = free_port()
    env = entrypoint_env(tmp_path, HOST="127.0.0.1", PORT=port, WEB_CONCURRENCY=1)
    process = subprocess.Popen(["sh", str(ENTRYPOINT), "web"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        status, body = None, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, _, body = get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        # Ready means migrated: the task queue's table exists.
        assert status == 200, body
        assert body.splitlines() == ["database: ok", "cache: ok", "queue: ok"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Applying contenttypes.0001_initial... OK" in output

    # The schema is current now: the other processes find nothing to migrate.
    worker = entrypoint(["worker", "--batch"], env)
    assert worker.returncode == 0, worker.stderr
    assert "No migrations to apply." in worker.stdout
    tick = entrypoint(["tick"], env)
    assert tick.returncode == 0, tick.stderr
    command = entrypoint(["dayfacts", "showmigrations", "ops"], env)
    assert command.returncode == 0, command.stderr
    assert command.stdout.startswith("ops")
    assert "No migrations to apply" not in command.stdout  # `dayfacts …` does not migrate


def test_an_unknown_process_is_refused_with_the_choices(tmp_path):
    result = entrypoint(["webserver"], entrypoint_env(tmp_path))
    assert result.returncode == 64
    assert "unknown process 'webserver'" in result.stderr
    assert "web|worker|scheduler|tick" in result.stderr


def test_the_images_static_files_step_makes_hashed_files(tmp_path):
    """Run the Dockerfile's collectstatic line as the image build does."""
    step = next(line for line in DOCKERFILE.read_text().replace("\\\n", " ").splitlines()
                if "collectstatic" in line)
    variables = dict(re.findall(r"(\b[A-Z_]+)=(\S+)", step.split("dayfacts collectstatic")[0]))
    variables["DAYFACTS_VAR_DIR"] = str(tmp_path)
    variables["DATABASE_URL"] = f"sqlite:///{tmp_path / 'build.sqlite3'}"
    env = site_env(tmp_path, DAYFACTS_ENV="production", **variables)
    command = shlex.split(step[step.index("dayfacts collectstatic"):].split("&&")[0])
    result = subprocess.run([sys.executable, "-m", *command], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["dayfacts/site.css"]
    assert re.fullmatch(r"dayfacts/site\.[0-9a-f]{12}\.css", hashed)
    assert (tmp_path / "static" / (hashed + ".gz")).exists()


def test_the_package_the_image_installs_carries_templates_static_files_and_migrations(tmp_path):
    """Copy what the Dockerfile copies, and build the package from it as pip would."""
    copied = re.findall(r"^COPY (?!--)(.+) \S+$", DOCKERFILE.read_text(), re.MULTILINE)
    sources = [source for line in copied for source in line.split()]
    assert {"pyproject.toml", "README.md", "dayfacts"} <= set(sources)
    for source in sources:
        path = REPO / source
        assert path.exists(), f"the Dockerfile copies {source}, which is missing"
        if path.is_dir():
            shutil.copytree(path, tmp_path / source,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, tmp_path / source)
    result = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
         "--build-lib", str(tmp_path / "lib")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for needed in ["dayfacts/templates/base.html", "dayfacts/static/dayfacts/site.css",
                   "dayfacts/ops/gunicorn_conf.py", "dayfacts/facts/migrations/0001_initial.py"]:
        assert (tmp_path / "lib" / needed).exists(), needed


def test_serve_exits_non_zero_when_gunicorn_cannot_start(tmp_path):
    """A port already taken: serve must fail, so systemd or docker restarts it."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = site_env(tmp_path)
        result = subprocess.run(
            [sys.executable, "-m", "dayfacts", "serve", "--web-only", "--port", str(port)],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "web ended 5 times in a row" in result.stderr


def test_docs_deploy_md_describes_every_file_in_deploy():
    docs = (REPO / "docs" / "deploy.md").read_text()
    for path in (REPO / "deploy").rglob("*"):
        if path.is_file():
            relative = path.relative_to(REPO / "deploy").as_posix()
            assert relative in docs, f"docs/deploy.md does not mention deploy/{relative}"
