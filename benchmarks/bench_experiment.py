"""An experiment of 200 replications of the built-in plant-year: time, rate, memory, speed-up.

Run: python benchmarks/bench_experiment.py [--reps 200]
Target (issue 5): at least 1.8x faster on 2 cores than one process; KPI rows only, so that
10,000 replications stay under 1 GiB.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import resource
import statistics
import time
import tracemalloc

from plantwin import builtin
from plantwin.experiment import Experiment, LocalExecutor, SerialExecutor
from plantwin.sim import Batch, run_batch


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _machine_ceiling(workers: int, n: int = 5_000_000) -> float:
    """Speed-up of trivially parallel pure-Python work on this machine: the best we can hope."""
    t0 = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - t0
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_burn, [1] * workers)  # workers up before timing
        t0 = time.perf_counter()
        pool.map(_burn, [n] * workers)
        parallel = time.perf_counter() - t0
    return serial / parallel


def _row_bytes(exp: Experiment, runs: int = 40) -> float:
    """Memory of the KPI rows one batch hands back, per replication (tracemalloc)."""
    batch = Batch(exp.scenarios(), exp.seed, exp.horizon, tuple(("base", r) for r in range(runs)))
    run_batch(batch)  # warm-up: caches and imports are not rows
    tracemalloc.start()
    rows = run_batch(batch)
    gc.collect()  # the runs' own objects are garbage in cycles, not rows
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == runs
    return kept / runs


def _max_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=200)
    args = ap.parse_args()
    exp = Experiment(builtin("maracay"), replications=args.reps, seed=1)

    t0 = time.perf_counter()
    with LocalExecutor() as ex:  # pool start-up counted
        workers = ex.workers
        parallel = exp.run(ex)
    t_par = time.perf_counter() - t0

    t0 = time.perf_counter()
    serial = exp.run(SerialExecutor())
    t_ser = time.perf_counter() - t0

    assert parallel.table.equals(serial.table), "executors disagree"
    table_bytes = parallel.table.memory_usage(deep=True).sum()
    per_rep = table_bytes / len(parallel.table)
    print(f"{args.reps} replications of one plant-year, {os.cpu_count()} cores")
    print(f"local processes ({workers} workers): {t_par:.2f} s, {args.reps / t_par:.1f} reps/s")
    print(f"one process:                  {t_ser:.2f} s, {args.reps / t_ser:.1f} reps/s")
    ceiling = statistics.median(_machine_ceiling(workers) for _ in range(3))
    print(
        f"speed-up: {t_ser / t_par:.2f}x (this machine's ceiling for pure CPU work: {ceiling:.2f}x)"
    )
    print(
        f"peak memory: parent {_max_rss_mib(resource.RUSAGE_SELF):.0f} MiB, "
        f"largest worker {_max_rss_mib(resource.RUSAGE_CHILDREN):.0f} MiB"
    )
    print(
        f"KPI table: {len(parallel.table.columns)} columns, {per_rep:,.0f} bytes per replication; "
        f"10,000 replications = {per_rep * 10_000 / 2**20:.1f} MiB"
    )
    print(
        f"a worker's rows as the parent gathers them: {_row_bytes(exp):,.0f} bytes per replication"
    )


if __name__ == "__main__":
    main()
