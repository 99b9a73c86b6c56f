"""A bench script run on an earlier commit and on this tree, one after the other, in one run.

    .venv/bin/python bench/versus.py REV bench/search.py [--facts 1000000 ...]

The commit is exported (`git archive`) under var/bench/versus/REV/ once, with its `var`
linked to this tree's, so both read the same prepared databases and sites; each side runs
with its own code first on the Python path. The script runs `--rounds` times on each side,
alternating (before, after, before, ...), so that both meet the same machine; every table
it prints is printed under the side and round it came from.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def exported(rev):
    """The tree of `rev`, exported once, its var/ the same as this tree's."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    tree = ROOT / "var" / "bench" / "versus" / commit
    if not (tree / "pyproject.toml").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    (ROOT / "var").mkdir(exist_ok=True)
    link = tree / "var"
    if not link.exists():
        link.symlink_to(ROOT / "var")
    return commit, tree


def run(tree, script, args):
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, str(tree / script), *args], cwd=tree, env=env,
                          capture_output=True, text=True)
    sys.stderr.write(done.stderr[-2000:] if done.returncode else "")
    return done.stdout if not done.returncode else f"failed with code {done.returncode}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="The earlier commit.")
    parser.add_argument("script", help="A bench script, as a path in the repository.")
    parser.add_argument("--rounds", type=int, default=1)
    args, rest = parser.parse_known_args()
    commit, before = exported(args.rev)
    for round_ in range(1, args.rounds + 1):
        for side, tree in ((f"before ({commit})", before), ("after (this tree)", ROOT)):
            print(f"\n### {args.script}, {side}, round {round_}\n", flush=True)
            print(run(tree, args.script, rest), flush=True)


if __name__ == "__main__":
    main()
