"""Hindcast: where does the real opening (2025) fall among simulated opening dates?

The built-in `maracay-build` scenario starts at the announcement (October 2021) with its
assumptions chosen beforehand (docs/build.md). This runs replications and reports the share of
them in which the first line, and all four lines, were commissioned before, during and after
2025. Run: python examples/hindcast_maracay_build.py [--reps 200]
"""

from __future__ import annotations

import argparse

import numpy as np

from plantwin import builtin
from plantwin.experiment import Experiment, LocalExecutor
from plantwin.sim import moment_at


def hindcast(reps: int, seed: int = 1) -> dict[str, dict[str, float]]:
    """Shares of replications by year of opening (first line) and completion (all lines)."""
    scenario = builtin("maracay-build")
    start = scenario.plant.start
    with LocalExecutor() as ex:
        table = Experiment(scenario, replications=reps, seed=seed).run(ex).table
    out: dict[str, dict[str, float]] = {}
    for kpi in ("output.opening_hours", "output.complete_hours"):
        hours = table[kpi].to_numpy(dtype=float)
        years = np.array([moment_at(start, h).year if np.isfinite(h) else 9999 for h in hours])
        out[kpi] = {
            "before 2025": float(np.mean(years < 2025)),
            "in 2025": float(np.mean(years == 2025)),
            "after 2025 (or never by 2026)": float(np.mean(years > 2025)),
            "median": float(np.nanmedian(hours)),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=200)
    args = ap.parse_args()
    start = builtin("maracay-build").plant.start
    for kpi, shares in hindcast(args.reps).items():
        median = moment_at(start, shares.pop("median")).date()
        parts = ", ".join(f"{k}: {100 * v:.0f} %" for k, v in shares.items())
        print(f"{kpi}: {parts}; median {median.isoformat()}")


if __name__ == "__main__":
    main()
