"""Wall time of one plant-year of the built-in scenario, and engine events per second.

Run: python benchmarks/bench_run.py [--runs 5] [--profile] [--against REV]
Target (issue 3): median at most 0.05 s per plant-year with the event log on, on 2 cores.
This VM's speed drifts by half within minutes, so the script also times a fixed pure-Python
loop: compare runs by the ratio of the two, not by seconds alone. ``--against REV`` (e.g.
1cff0ee) extracts that commit's ``src`` into a temporary folder and times both engines side by
side, in alternating rounds of fresh processes, so that drift hits both alike.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plantwin import builtin, simulate


def _reference_loop() -> float:
    """Median seconds of a fixed pure-Python loop: how fast this machine is right now."""
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


ROOT = Path(__file__).resolve().parents[1]

# one round in a fresh process: warm up, then time plant-years with the log on
ROUND = """
import json, sys, time
from plantwin import builtin, simulate
s = builtin("maracay")
simulate(s, 0)
out = []
for seed in range(1, int(sys.argv[1]) + 1):
    t0 = time.perf_counter()
    r = simulate(s, seed)
    out.append((time.perf_counter() - t0, r.kpis["engine"]["events"]))
print(json.dumps(out))
"""


def _round(src: Path, runs: int) -> list[tuple[float, int]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", ROUND, str(runs)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return [(float(t), int(n)) for t, n in json.loads(done.stdout)]


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """Commit ``rev``'s ``src`` folder, extracted into a temporary folder for the block."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield Path(tmp) / "src"


def against(rev: str, runs: int, rounds: int = 5) -> dict[str, list[tuple[float, int]]]:
    """This tree's engine and commit ``rev``'s, side by side in alternating rounds: prints the
    medians and returns (seconds, events) of every plant-year by side (``rev``, "this tree")."""
    with checkout(rev) as old:
        sides = {rev: old, "this tree": ROOT / "src"}
        got: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
        for _ in range(rounds):
            for name, src in sides.items():
                got[name] += _round(src, runs)
    base = None
    for name, rows in got.items():
        med = statistics.median(t for t, _ in rows)
        events = statistics.median(n for _, n in rows)
        base = base or med
        print(
            f"{name:>10}: median {med:.4f} s per plant-year of maracay (log on, "
            f"{len(rows)} runs); {events / med:,.0f} events/s, {1e9 * med / events:,.0f} ns "
            f"per event; {base / med:.2f} x the speed of {rev}"
        )
    ratios = round_ratios(got, rev, runs)
    listed = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"{'':>10}  round by round: {statistics.median(ratios):.2f} x median ({listed})")
    return got


def round_ratios(got: dict[str, list[tuple[float, int]]], rev: str, runs: int) -> list[float]:
    """The speed-up over ``rev`` in each round: the two sides' medians of one round, run one
    right after the other, are the pair this VM's drift touches least."""
    this = got["this tree"]
    old = got[rev]
    return [
        statistics.median(t for t, _ in old[i : i + runs])
        / statistics.median(t for t, _ in this[i : i + runs])
        for i in range(0, len(this), runs)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="print the top entries of a profile")
    ap.add_argument("--against", metavar="REV", help="time commit REV's engine side by side")
    args = ap.parse_args()
    if args.against:
        against(args.against, args.runs)
        return
    scenario = builtin("maracay")
    simulate(scenario, 0)  # warm-up: imports, table loading
    reference = _reference_loop()
    print(f"machine: reference loop {reference:.4f} s (1e6 multiply-adds in pure Python)")
    for log in (True, False):
        times, events, records = [], [], []
        for seed in range(1, args.runs + 1):
            t0 = time.perf_counter()
            result = simulate(scenario, seed, event_log=log)
            times.append(time.perf_counter() - t0)
            events.append(result.kpis["engine"]["events"])
            records.append(result.kpis["engine"]["log_records"])
        med = statistics.median(times)
        print(
            f"event log {'on ' if log else 'off'}: median {med:.4f} s per plant-year "
            f"(min {min(times):.4f}, max {max(times):.4f}, {args.runs} runs); "
            f"{statistics.median(events) / med:,.0f} engine events/s; "
            f"{statistics.median(records):,.0f} log records per run; "
            f"{med / reference:.2f} reference loops per plant-year"
        )
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for seed in range(1, 6):
            simulate(scenario, seed)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
