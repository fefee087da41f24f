"""The targets of issue 12, measured side by side with an earlier commit in one run.

Run: python benchmarks/bench_targets.py [--quick] [--against REV]
1. One plant-year of ``maracay`` with the event log on, in process: at least 10 x the speed of
   REV's engine (bench_run's ``against``: alternating rounds of fresh processes, since this VM's
   speed drifts by half within minutes; the speed-up is the median of the rounds' ratios), with
   events per second and ns per event.
2. ``plantwin experiment --reps 1000 --no-save`` as a whole process: at most 2 s wall for this
   tree; REV's beside it, the two trees alternating.
3. ``plantwin experiment --reps 10000 --no-save`` (this tree only): the peak RSS of the process
   and its workers, summed, under 400 MiB.
REV's ``src`` runs from a temporary folder; it has no extensions built, so it runs interpreted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# benchmarks is not a package: import bench_run from beside this file
from bench_run import ROOT, against, checkout, round_ratios

# how the console script enters (pyproject: plantwin = "plantwin.cli:main")
CLI = "from plantwin.cli import main; main()"
PROBE = "import plantwin.sim as s; print(getattr(s, 'ENGINE', ''), getattr(s, 'ENGINE_NOTE', ''))"
MIB = 1024 * 1024


class Failed(RuntimeError):
    """A process of the benchmark exited with an error; the message is its stderr."""


def env_for(src: Path) -> dict[str, str]:
    """The environment that makes a child process import plantwin from ``src``, writing and
    reading bytecode caches (else a tree without them compiles its sources in every process)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def engine_of(src: Path, rev: str) -> str:
    """Which engine the plantwin in ``src`` runs, as its ``plantwin.sim.ENGINE`` says."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env_for(src), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise Failed(done.stderr)
    engine, _, note = done.stdout.strip().partition(" ")
    if not engine:
        return f"interpreted (no compiled engine at {rev})"
    return f"{engine} ({note})" if note else engine


def experiment(reps: int) -> list[str]:
    """The command line of ``plantwin experiment --reps REPS --no-save`` (run it with
    ``env_for`` a tree)."""
    return [sys.executable, "-c", CLI, "experiment", "--reps", str(reps), "--no-save"]


def run_experiment(src: Path, reps: int, every: float | None = None) -> tuple[float, int]:
    """Wall seconds of a whole ``plantwin experiment`` process of ``reps`` replications and,
    when ``every`` is given, its process tree's peak summed RSS in bytes, sampled every
    ``every`` seconds (0 otherwise: the wall time is measured without sampling)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        experiment(reps),
        env=env_for(src),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while every is not None and proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(every)
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise Failed(err)
    return seconds, peak


def tree_rss(pid: int) -> int:
    """Bytes of VmRSS of process ``pid`` and all its descendants, summed (0 once gone)."""
    total, todo = 0, [pid]
    while todo:
        proc = Path(f"/proc/{todo.pop()}")
        try:
            status = (proc / "status").read_text()
            for task in (proc / "task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited while we looked
        for line in status.splitlines():
            if line.startswith("VmRSS:"):  # kB; a zombie has none
                total += int(line.split()[1]) * 1024
    return total


def target(what: str, figure: str, goal: str, ok: bool) -> None:
    """One line of the verdict: the figure, the target and PASS or MISS."""
    print(f"  {what:<26} {figure:>10}   target {goal:<10} {'PASS' if ok else 'MISS'}")


def main() -> None:
    """Measure the three targets and print one line per target."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer rounds; 2,000 reps for the RSS")
    ap.add_argument("--against", metavar="REV", default="1cff0ee", help="commit to compare with")
    args = ap.parse_args()
    rev: str = args.against
    rounds, runs, wall_runs, rss_reps = (2, 3, 2, 2_000) if args.quick else (9, 5, 3, 10_000)
    this = ROOT / "src"
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    with checkout(rev) as old:
        sides = {rev: old, "this tree": this}
        engines = {name: engine_of(src, rev) for name, src in sides.items()}
        for name, engine in engines.items():
            print(f"{name:>10}: engine {engine}")

        print(f"\n1. one plant-year of maracay, log on, {rounds} rounds x {runs} runs a side")
        got = against(rev, runs, rounds)
        speedup = statistics.median(round_ratios(got, rev, runs))

        print(f"\n2. plantwin experiment --reps 1000 --no-save, {wall_runs} runs a side, alternate")
        times: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(wall_runs):
            for name, src in sides.items():
                times[name].append(run_experiment(src, 1000)[0])
        for name, walls_s in times.items():
            listed = ", ".join(f"{t:.2f}" for t in walls_s)
            print(f"{name:>10}: median {statistics.median(walls_s):.2f} s wall ({listed})")
        experiment_s = statistics.median(times["this tree"])

    print(f"\n3. plantwin experiment --reps {rss_reps} --no-save, this tree")
    if args.quick:
        print("   (--quick: 2,000 replications; the target is for 10,000)")
    seconds, peak = run_experiment(this, rss_reps, every=0.05)
    print(f"   peak RSS {peak / MIB:.0f} MiB (parent + workers, summed); {seconds:.1f} s wall")

    now = engine_of(this, rev)
    if now != engines["this tree"] or now != "compiled":
        print(f"\nWARNING: this tree's engine was {engines['this tree']} at the start, {now} now")
    print(f"\ntargets (this tree against {rev}):")
    target("plant-year speed-up", f"{speedup:.1f} x", ">= 10 x", speedup >= 10)
    target("1000 reps, whole CLI", f"{experiment_s:.2f} s", "<= 2 s", experiment_s <= 2)
    target(f"{rss_reps:,} reps, peak RSS", f"{peak / MIB:.0f} MiB", "< 400 MiB", peak < 400 * MIB)


if __name__ == "__main__":
    main()
