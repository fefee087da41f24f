"""The floor of a SimPy model of the same size: SimPy's bare cost for as many events.

DESIGN.md allows an engine of our own only where it is measured to be faster than SimPy. This
times SimPy doing nothing but 4 processes of timeouts (one per line) for the number of events
one plant-year of the built-in plant takes in plantwin's engine, and compares it with the whole
plantwin run. Needs ``pip install simpy`` (not a plantwin dependency).

Run: python benchmarks/bench_simpy_floor.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Generator
from typing import Any

import simpy

from plantwin import builtin, simulate


def _simpy_bare(events: int) -> float:
    env = simpy.Environment()
    per_process = events // 4

    def proc() -> Generator[Any, Any, None]:
        for _ in range(per_process):
            yield env.timeout(1.0)

    for _ in range(4):
        env.process(proc())
    t0 = time.perf_counter()
    env.run()
    return time.perf_counter() - t0


def main() -> None:
    scenario = builtin("maracay")
    simulate(scenario, 0)
    runs = [simulate(scenario, s) for s in range(1, 6)]
    events = int(statistics.median(r.kpis["engine"]["events"] for r in runs))
    ours = []
    for s in range(1, 6):
        t0 = time.perf_counter()
        simulate(scenario, s)
        ours.append(time.perf_counter() - t0)
    bare = [_simpy_bare(events) for _ in range(5)]
    print(f"events per plant-year: {events:,}")
    print(f"plantwin, whole model, log on: median {statistics.median(ours):.4f} s")
    print(f"SimPy, bare timeouts only:     median {statistics.median(bare):.4f} s")


if __name__ == "__main__":
    main()
