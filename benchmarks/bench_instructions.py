"""Instructions per plant-year of the built-in plant, counted by valgrind's callgrind: repeatable
where wall times drift (this VM's speed changes by half within minutes).

Run: python benchmarks/bench_instructions.py [--years 2] [--scenario maracay] [--loop]
It counts a process that runs one warm-up plant-year and then ``--years`` more, and one that
runs the warm-up only; the difference over ``--years`` is the figure (imports and start-up
cancel out; string hashing is fixed, which otherwise moves the count by several per cent).
``PLANTWIN_ENGINE=python`` in the environment counts the interpreted engine where a compiled
one is built. ``--loop`` counts only inside the compiled event loop (callgrind collects within
the C function of ``Kernel.run_until``), without the set-up of a run and its KPIs. Needs
valgrind; takes about a minute per plant-year. The child runs with one BLAS thread: the thread
OpenBLAS starts at numpy's import spins while it waits, and under valgrind it spun for as long
as the process ran, adding up to 15 % to the count at random (callgrind: blas_thread_server).
So pinned, counts of the same code repeat to 0.1 M.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import sys
from plantwin import builtin, simulate
s = builtin(sys.argv[1])
simulate(s, 0)
for seed in range(1, int(sys.argv[2]) + 1):
    simulate(s, seed)
"""


# the compiled event loop's C function (Cython's name for plantwin.sim._kernel.Kernel.run_until)
LOOP = "__pyx_f_8plantwin_3sim_7_kernel_6Kernel_run_until"


def _instructions(scenario: str, years: int, folder: Path, loop: bool = False) -> int:
    script = folder / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    out = folder / f"callgrind.{years}.out"
    only = ["--collect-atstart=no", f"--toggle-collect={LOOP}"] if loop else []
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", *only, f"--callgrind-out-file={out}", sys.executable,
         str(script), scenario, str(years)],
        capture_output=True, text=True, check=True,
        # string hashes vary the count otherwise, and so does a spinning BLAS thread
        env={**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"},
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert found, done.stderr
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--scenario", default="maracay")
    ap.add_argument("--loop", action="store_true", help="count the compiled event loop only")
    args = ap.parse_args()
    import plantwin.sim

    # commits before the compiled engine have no ENGINE: they run interpreted
    ENGINE = getattr(plantwin.sim, "ENGINE", "interpreted")
    ENGINE_NOTE = getattr(plantwin.sim, "ENGINE_NOTE", "")

    if args.loop and ENGINE != "compiled":
        raise SystemExit(f"--loop needs the compiled engine; this one is {ENGINE}: {ENGINE_NOTE}")
    with tempfile.TemporaryDirectory() as tmp:
        base = _instructions(args.scenario, 0, Path(tmp), args.loop)
        more = _instructions(args.scenario, args.years, Path(tmp), args.loop)
    per_year = (more - base) / args.years
    note = f" ({ENGINE_NOTE})" if ENGINE_NOTE else ""
    what = "in the event loop" if args.loop else "a year"
    print(f"{args.scenario}, {ENGINE} engine{note}: {per_year / 1e6:,.1f} M instructions {what}")


if __name__ == "__main__":
    main()
