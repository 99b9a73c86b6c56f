"""`make bench` writes docs/benchmarks.md: the tables, the machine and the date."""

import datetime
import importlib.util
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location("run_all", REPO / "bench" / "run_all.py")
run_all = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_all)

SEARCH_OUTPUT = """\
load average at the end: 1.2 on 2 cores
| database | facts | measure | n | p50 ms | p95 ms |
|---|---|---|---|---|---|
| sqlite | 1,000 | search | 50 | 4.2 | 6.1 |
"""
STARTED = datetime.datetime(2026, 3, 20, 9, 5, tzinfo=datetime.UTC)
FINISHED = datetime.datetime(2026, 3, 20, 10, 40, tzinfo=datetime.UTC)


def written(tmp_path, outcomes, **kwargs):
    path = tmp_path / "benchmarks.md"
    text = run_all.report(outcomes, run_all.machine(), STARTED, FINISHED, **kwargs)
    run_all.write(path, text)
    return path.read_text()


def test_the_report_holds_the_tables_the_machine_and_the_date(tmp_path):
    text = written(tmp_path, [run_all.Outcome("search.py", 61.0, 0, SEARCH_OUTPUT)],
                   load=("0.50, 0.40, 0.30", "1.20, 0.90, 0.50"))
    assert "| sqlite | 1,000 | search | 50 | 4.2 | 6.1 |" in text
    assert "2026-03-20 09:05" in text and "2026-03-20 10:40" in text
    assert "- CPU: " in text and "logical CPUs" in text
    assert f"- Python: {sys.version.split()[0]}" in text
    assert "- SQLite: " in text and "- PostgreSQL: " in text and "- Memory: " in text
    assert "0.50, 0.40, 0.30 at the start" in text
    # What the script measures and its target, from its own docstring.
    assert "- `bench/search.py`: Search and day-page speed" in text
    assert "day page p95 <= 30 ms" in text


def test_a_failed_script_is_reported_and_the_others_kept(tmp_path):
    outcomes = [
        run_all.Outcome("daypage.py", 3.0, 1, "", "Traceback ...\nFileNotFoundError: 'wrk'"),
        run_all.Outcome("search.py", 61.0, 0, SEARCH_OUTPUT),
    ]
    text = written(tmp_path, outcomes)
    assert "Scripts that failed in this run: `daypage.py`" in text
    assert "FAILED (exit 1): Traceback ... / FileNotFoundError: 'wrk'" in text
    assert "| sqlite | 1,000 | search | 50 | 4.2 | 6.1 |" in text


def test_the_hand_kept_section_survives_a_new_run(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nold figures\n\n## Measured by hand\n\nA table size.\n")
    text = run_all.report([run_all.Outcome("search.py", 1.0, 0, SEARCH_OUTPUT)], [],
                          STARTED, FINISHED, kept=run_all.kept_section(path))
    assert "old figures" not in text
    assert text.rstrip().endswith("## Measured by hand\n\nA table size.")


def test_run_all_writes_the_file_even_when_its_script_fails(tmp_path):
    output = tmp_path / "benchmarks.md"
    command = [sys.executable, str(REPO / "bench" / "run_all.py"), "--output", str(output),
               "no_such_script.py"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "FAILED (exit 2)" in done.stdout
    assert "Scripts that failed in this run: `no_such_script.py`" in output.read_text()

    skipped = tmp_path / "skipped.md"
    subprocess.run([*command[:3], str(skipped), "--no-write", "no_such_script.py"],
                   capture_output=True, timeout=60, check=True)
    assert not skipped.exists()
