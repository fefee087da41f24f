"""Wall time of one plant-year of the built-in scenario, and engine events per second.

Run: python benchmarks/bench_run.py [--runs 5] [--profile]
Target (issue 3): median at most 0.05 s per plant-year with the event log on, on 2 cores.
This VM's speed drifts by half within minutes, so the script also times a fixed pure-Python
loop: compare runs by the ratio of the two, not by seconds alone.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="print the top entries of a profile")
    args = ap.parse_args()
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
