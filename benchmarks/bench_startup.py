"""Startup time of the ``plantwin`` command: whole processes, against ``python -c "import numpy"``.

Run: python benchmarks/bench_startup.py [--runs 15] [--against REV|SRC] [--reps N]
Targets (issue 10): ``plantwin run --horizon 1d --no-save`` at most 2.5 x the numpy import,
``plantwin --version`` at most 1.5 x. This VM's speed drifts within minutes, so every command
runs in each round, one after the other, and the ratios compare medians of the same rounds.
``--against`` times another plantwin beside this tree's, the two alternating command by
command: a folder holding its ``plantwin`` package (another worktree's ``src``, with its
extensions built), or a commit whose ``src`` is extracted (no extensions: its engine runs
interpreted). ``--reps N`` adds ``plantwin experiment --reps N --no-save``.
A benchmark, not a test: it exits 0 whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# benchmarks is not a package: import bench_run from beside this file
from bench_run import ROOT, checkout

from plantwin.results import open_store

# the console script installed beside this interpreter: what a user runs
PLANTWIN = str(Path(sys.executable).with_name("plantwin"))

LIBRARIES = """\
import numpy, pydantic, typer, rich.console, rich.table
class Probe(pydantic.BaseModel):
    x: int
"""


def _plantwin(*args: str, target: float | None = None) -> tuple[str, list[str], float | None]:
    return f"plantwin {' '.join(args)}", [PLANTWIN, *args], target


# (label, command, target as a multiple of the numpy import or None)
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"], None),
    # the libraries a run cannot do without (typer itself validates options with pydantic)
    ("libraries: numpy pydantic typer rich", [sys.executable, "-c", LIBRARIES], None),
    _plantwin("--version", target=1.5),
    _plantwin("run", "--horizon", "1d", "--no-save", target=2.5),
    _plantwin("validate", "maracay"),
    ("plantwin runs (empty store)", [PLANTWIN, "runs"], None),
    # an experiment's fixed cost: one replication in this process; two on forked local
    # workers, while the parent imports what the results need (pandas, scipy)
    _plantwin("experiment", "--reps", "1", "--no-save"),
    _plantwin("experiment", "--reps", "2", "--no-save"),
]


def _time(command: list[str], env: dict[str, str], cwd: str) -> float:
    """Wall seconds of one whole process; a failing command stops the benchmark."""
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed


def _sides(stack: ExitStack, against: str | None) -> dict[str, Path]:
    """The ``src`` folder of each plantwin timed: this tree's, and ``against``'s when given."""
    sides = {"this tree": ROOT / "src"}
    if against is not None:
        given = Path(against)
        other = given if given.is_dir() else stack.enter_context(checkout(against))
        sides = {against: other.resolve(), **sides}
    return sides


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15, help="rounds (every command once a round)")
    ap.add_argument("--against", metavar="REV|SRC", help="time another plantwin side by side")
    ap.add_argument("--reps", type=int, help="also time experiment --reps N --no-save")
    args = ap.parse_args()
    commands = list(COMMANDS)
    if args.reps:
        commands.append(_plantwin("experiment", "--reps", str(args.reps), "--no-save"))
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        sides = _sides(stack, args.against)
        # an empty store (created, migrated, holding no run)
        db = Path(tmp) / "empty.db"
        with open_store(str(db)):
            pass
        # byte-compiled modules, as in an installed package, kept in the temporary folder
        env = {
            **os.environ,
            "PLANTWIN_DB": str(db),
            "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PLANTWIN_DEBUG", None)
        envs = {side: {**env, "PYTHONPATH": str(src)} for side, src in sides.items()}
        for _, command, _ in commands:  # warm-up: byte-compiled files, the OS file cache
            for side_env in envs.values():
                _time(command, side_env, tmp)
        times = {(side, label): [] for side in sides for label, _, _ in commands}
        for _ in range(args.runs):
            for label, command, _ in commands:
                for side, side_env in envs.items():
                    times[side, label].append(_time(command, side_env, tmp))
    print(f"{args.runs} rounds; median wall time of whole processes, x = ratio to numpy's import")
    for side, src in sides.items():
        print(f"\n{side} ({src})")
        base = statistics.median(times[side, commands[0][0]])
        for label, _, target in commands:
            got = times[side, label]
            med = statistics.median(got)
            verdict = ""
            if target is not None:
                verdict = (
                    f"  target <= {target:.1f} x: {'met' if med / base <= target else 'MISSED'}"
                )
            print(f"{label:42} {med:6.3f} s  (min {min(got):.3f})  {med / base:5.2f} x{verdict}")


if __name__ == "__main__":
    main()
