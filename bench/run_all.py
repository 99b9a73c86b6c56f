"""`make bench`: run every bench script and print their figures as one table.

Each script in bench/ (not this one, not the _helpers) runs in turn, on its own, with its
default options; a script prints Markdown tables and notes. Every table row becomes a row
of the one table here: the script, the row's first cell, and its other cells labelled with
their column names. Notes (targets, data sizes) follow the table, under the script's name.
A script that fails, or runs longer than BENCH_SCRIPT_TIMEOUT seconds (default 1800), is
reported as such and the others still run.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# Measured first: the servers and caching, then the rest alphabetically.
FIRST = ["daypage.py", "servers.py", "cache.py"]
TIMEOUT = int(os.environ.get("BENCH_SCRIPT_TIMEOUT", 1800))


def scripts():
    found = sorted(p.name for p in BENCH.glob("*.py")
                   if p.name != "run_all.py" and not p.name.startswith("_"))
    return [name for name in FIRST if name in found] + [n for n in found if n not in FIRST]


def run(name):
    """Run one script; past TIMEOUT ask it to stop (SIGTERM, so it can stop its servers)."""
    process = subprocess.Popen([sys.executable, str(BENCH / name)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=BENCH.parent)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        err += f"\nstopped after {TIMEOUT} s (BENCH_SCRIPT_TIMEOUT)"
        return subprocess.CompletedProcess(name, -1, out, err)
    return subprocess.CompletedProcess(name, process.returncode, out, err)


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse(output):
    """Return (rows as (label, figures), notes) from a script's Markdown output."""
    rows, notes, header = [], [], None
    for line in output.splitlines():
        if line.startswith("|"):
            parts = cells(line)
            if all(set(part) <= set("-: ") for part in parts):
                continue
            if header is None:
                header = parts
                continue
            figures = ", ".join(f"{name} {value}" for name, value in zip(header[1:], parts[1:],
                                                                          strict=False))
            rows.append((parts[0], figures))
        else:
            header = None
            if line.strip():
                notes.append(line.rstrip())
    return rows, notes


def main():
    chosen = sys.argv[1:] or scripts()  # `run_all.py cache.py servers.py`: only those
    table, notes = [], []
    for name in chosen:
        print(f"running bench/{name} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        done = run(name)
        seconds = time.monotonic() - started
        rows, script_notes = parse(done.stdout)
        if done.returncode:
            tail = done.stderr.strip().splitlines()[-3:]
            script_notes.append(f"FAILED (exit {done.returncode}): " + " / ".join(tail))
        table += [(name, label, figures) for label, figures in rows]
        notes.append((name, seconds, script_notes))
    widths = [max(len(row[i]) for row in [("bench", "measure", "figures"), *table])
              for i in range(3)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(line.format("bench", "measure", "figures"))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        print(line.format(*row))
    for name, seconds, script_notes in notes:
        print(f"\n{name} ({seconds:.0f} s):")
        for note in script_notes:
            print(f"  {note}")


if __name__ == "__main__":
    main()
