"""Start real app servers (`dayfacts serve`) and other `dayfacts` processes for the ops tests."""

import signal
import subprocess
import time
from pathlib import Path

from tests.servers import DAYFACTS, free_port, get


def run(argv, env, timeout=120):
    """Run a `dayfacts` command to completion and return the CompletedProcess."""
    return subprocess.run([*DAYFACTS, *argv], env=env, cwd=env["DAYFACTS_VAR_DIR"],
                          capture_output=True, text=True, timeout=timeout)


class Server:
    """One `dayfacts serve --web-only` on a free loopback port."""

    def __init__(self, env, workers=1, log_dir=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log_dir = Path(log_dir or env["DAYFACTS_VAR_DIR"])
        self.stdout_path = log_dir / f"serve-{self.port}.out"
        self.stderr_path = log_dir / f"serve-{self.port}.err"
        self.process = subprocess.Popen(
            [*DAYFACTS, "serve", "--web-only", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, cwd=env["DAYFACTS_VAR_DIR"],
            stdout=self.stdout_path.open("w"), stderr=self.stderr_path.open("w"),
        )

    def wait_until_up(self, timeout=30):
        """Wait for the server to answer /healthz; fail with its log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.url + "/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"server on {self.url} did not start:\n{self.log()}")

    def get(self, path, headers=None):
        return get(self.url + path, headers)

    def log(self):
        """Return what the server wrote so far: stdout (access log) then stderr."""
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
