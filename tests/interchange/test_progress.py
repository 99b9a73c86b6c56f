"""The progress bar: drawn on a terminal, absent from pipes and logs."""

import os
import pty
import subprocess
import sys
from pathlib import Path

from .test_tabular import CSV

DAYFACTS = Path(sys.executable).with_name("dayfacts")


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "DAYFACTS_VAR_DIR": str(tmp_path)}
    subprocess.run([DAYFACTS, "migrate", "-v0", "--skip-checks"], env=env, check=True,
                   capture_output=True)
    for n in range(3):
        (tmp_path / f"facts-{n}.csv").write_text(CSV.replace("Treaty", f"Treaty {n}"))
    command = [DAYFACTS, "import", "csv", str(tmp_path), "--skip-checks"]

    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "Import summary" in piped.stdout and "records" not in piped.stderr

    main, secondary = pty.openpty()
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=secondary) as run:
        os.close(secondary)
        drawn = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closes with the process
                break
            if not chunk:
                break
            drawn += chunk
    os.close(main)
    assert run.returncode == 0
    text = drawn.decode(errors="replace")
    assert "records" in text and "/3" in text and "━" in text
