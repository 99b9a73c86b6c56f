"""`make bench`: run every bench script, print their figures as one table and write them,
with the machine and the date, to docs/benchmarks.md.

Each script in bench/ (not this one, not the _helpers) runs in turn, on its own, with its
default options; a script prints Markdown tables and notes. Every table row becomes a row
of the one table here: the script, the row's first cell, and its other cells labelled with
their column names. Notes (targets, data sizes) follow the table, under the script's name.
A script that fails, or runs longer than BENCH_SCRIPT_TIMEOUT seconds (default 1800), is
reported as such and the others still run.

docs/benchmarks.md is the one place the docs take figures from. It is written whole on
every run, failed scripts included: what each script measures and its target (from the
script's docstring), the machine, the date, and each script's output as it printed it. The
section headed "## Measured by hand" (comparisons no script repeats) is carried over from
the file as it was. `--no-write` (or BENCH_NO_WRITE=1) leaves the file alone.

    .venv/bin/python bench/run_all.py [--no-write] [--output PATH] [script.py ...]
"""

import argparse
import ast
import datetime
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPORT = BENCH.parent / "docs" / "benchmarks.md"
KEPT_HEADING = "## Measured by hand"
# Measured first: the servers and caching, then the rest alphabetically.
FIRST = ["daypage.py", "servers.py", "cache.py"]
TIMEOUT = int(os.environ.get("BENCH_SCRIPT_TIMEOUT", 1800))
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


@dataclass
class Outcome:
    """What one script did: its name, how long it ran, its exit code and what it printed.

    `source` says where figures not measured in this run come from (a quoted earlier run).
    """

    name: str
    seconds: float
    returncode: int
    stdout: str
    stderr: str = ""
    source: str = ""


def scripts():
    found = sorted(p.name for p in BENCH.glob("*.py")
                   if p.name != "run_all.py" and not p.name.startswith("_"))
    return [name for name in FIRST if name in found] + [n for n in found if n not in FIRST]


def run(name):
    """Run one script; past TIMEOUT ask it to stop (SIGTERM, so it can stop its servers)."""
    started = time.monotonic()
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
        return Outcome(name, time.monotonic() - started, -1, out, err)
    return Outcome(name, time.monotonic() - started, process.returncode, out, err)


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


def failure(outcome):
    """One line saying how a script failed, or '' when it did not."""
    if not outcome.returncode:
        return ""
    tail = outcome.stderr.strip().splitlines()[-3:]
    return f"FAILED (exit {outcome.returncode}): " + " / ".join(tail)


def print_table(outcomes):
    table, notes = [], []
    for outcome in outcomes:
        rows, script_notes = parse(outcome.stdout)
        if failure(outcome):
            script_notes.append(failure(outcome))
        table += [(outcome.name, label, figures) for label, figures in rows]
        notes.append((outcome.name, outcome.seconds, script_notes))
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


def one_line(text):
    return " ".join(text.split())


def describe(name, output=""):
    """(what the script measures, its target) from its docstring, or its output's notes."""
    try:
        doc = ast.get_docstring(ast.parse((BENCH / name).read_text())) or ""
    except (OSError, SyntaxError):
        doc = ""
    what = one_line(doc.split("\n\n")[0]) or "(no docstring)"
    for text in (doc, output):
        target = re.search(r"\btargets?\b(?: \([^)]*\))?(?::| are)\s*(.+?\.)(?=\s|$)", text,
                           re.IGNORECASE | re.DOTALL)
        if target:
            return what, one_line(target.group(1))
    return what, ""


def _first_line(argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return ((done.stdout or done.stderr).strip().splitlines() or [""])[0]


def machine():
    """Describe this machine as (label, value) pairs: CPU, memory, software versions."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        cpuinfo = ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    cpu = f"{model.group(1).strip() if model else platform.processor() or 'unknown'}, " \
          f"{os.cpu_count()} logical CPUs"
    try:
        kib = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(),
                            re.MULTILINE).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        memory = "unknown"
    server = _first_line(["psql", POSTGRES_URL, "-Atc", "SHOW server_version"]) \
        if shutil.which("psql") else ""
    if not re.match(r"\d", server):
        client = _first_line(["pg_config", "--version"]) if shutil.which("pg_config") else ""
        server = f"server not reachable ({client or 'no client'})"
    pairs = [
        ("CPU", cpu),
        ("Memory", memory),
        ("System", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", server),
    ]
    for tool, version in (("wrk", ["wrk", "--version"]), ("nginx", ["nginx", "-v"])):
        found = shutil.which(tool)
        pairs.append((tool, _first_line(version) if found else
                      "not installed (the scripts that need it fail)"))
    return pairs


def commit():
    """The checked-out commit, and whether the working tree differs from it."""
    head = _first_line(["git", "-C", str(BENCH.parent), "rev-parse", "--short", "HEAD"])
    if not head:
        return "unknown"
    changed = _first_line(["git", "-C", str(BENCH.parent), "status", "--porcelain",
                           "--untracked-files=no"])
    return head + (" with uncommitted changes" if changed else "")


def load_average():
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def kept_section(path):
    """The hand-kept section of the report at `path`, from its heading to the end, or ''."""
    try:
        text = Path(path).read_text()
    except OSError:
        return ""
    at = text.find("\n" + KEPT_HEADING + "\n")
    return text[at + 1:].rstrip() + "\n" if at >= 0 else ""


def report(outcomes, machine_pairs, started, finished, *, load=("", ""), code="", kept="",
           preface=""):
    """Return the text of docs/benchmarks.md for these outcomes, machine and times."""
    stamp = "%Y-%m-%d %H:%M %Z"
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run_all.py`); do not edit above the hand-kept "
        f"section. Run of {started.strftime(stamp)} to {finished.strftime(stamp)}"
        + (f", code at {code}" if code else "") + ". The other docs state targets and "
        "link here for figures. Figures depend on the machine and on how busy it was: "
        "compare runs made side by side.",
        "",
    ]
    if preface:
        lines += [preface.strip(), ""]
    lines += ["## What each script measures", ""]
    for outcome in outcomes:
        what, target = describe(outcome.name, outcome.stdout)
        lines.append(f"- `bench/{outcome.name}`: {what}" + (f" Target: {target}" if target
                                                               else ""))
    lines += ["", "## The machine", ""]
    lines += [f"- {label}: {value}" for label, value in machine_pairs]
    if any(load):
        lines.append(f"- Load average (1, 5, 15 minutes): {load[0]} at the start, "
                     f"{load[1]} at the end")
    lines += ["", "## Figures", ""]
    failed = [outcome.name for outcome in outcomes if outcome.returncode]
    if failed:
        lines += ["Scripts that failed in this run: "
                  + ", ".join(f"`{name}`" for name in failed) + " (see below).", ""]
    for outcome in outcomes:
        ran = outcome.source or f"{outcome.seconds:.0f} s, exit code {outcome.returncode}."
        lines += [f"### bench/{outcome.name}", "", ran, ""]
        if outcome.returncode:
            lines += [f"**{failure(outcome)}**", ""]
        if outcome.stdout.strip():
            lines += ["```", outcome.stdout.strip("\n"), "```", ""]
        elif not outcome.source:
            lines += ["(no output)", ""]
    if kept:
        lines += [kept.rstrip(), ""]
    return "\n".join(lines)


def write(path, text):
    """Replace the file at `path` with `text` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text)
    partial.replace(path)


def now():
    return datetime.datetime.now().astimezone()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", help="only these scripts, e.g. cache.py")
    parser.add_argument("--no-write", action="store_true",
                        default=os.environ.get("BENCH_NO_WRITE", "") not in ("", "0"),
                        help="print the table only; leave docs/benchmarks.md alone "
                             "(also BENCH_NO_WRITE=1)")
    parser.add_argument("--output", type=Path, default=REPORT,
                        help="where to write the report (default docs/benchmarks.md)")
    args = parser.parse_args(argv)
    chosen = args.scripts or scripts()
    started, load_before, pairs = now(), load_average(), machine()
    outcomes = []
    try:
        for name in chosen:
            print(f"running bench/{name} ...", file=sys.stderr, flush=True)
            outcomes.append(run(name))
    finally:
        # Also when stopped (Ctrl+C): the scripts that ran are reported, and the file says
        # how many were left.
        left = chosen[len(outcomes):]
        preface = (f"Stopped before {', '.join(left)} ran." if left else "")
        if not args.no_write:
            write(args.output, report(outcomes, pairs, started, now(),
                                      load=(load_before, load_average()), code=commit(),
                                      kept=kept_section(args.output), preface=preface))
            print(f"wrote {args.output}", file=sys.stderr)
    print_table(outcomes)


if __name__ == "__main__":
    main()
