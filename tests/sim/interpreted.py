"""The reference side of the differential test: every case of test_differential run by the
interpreted engine, in a process of its own (``PLANTWIN_ENGINE=python``), written to a file as
{case id: (KPIs as JSON text, event log as Arrow IPC bytes)}.

Run: PLANTWIN_ENGINE=python python -m tests.sim.interpreted OUT.pickle
"""

from __future__ import annotations

import json
import pickle
import sys

import pyarrow as pa

import plantwin.sim

from .test_differential import CASES, SEEDS


def main(out: str) -> None:
    assert plantwin.sim.ENGINE == "interpreted", plantwin.sim.ENGINE_NOTE
    results: dict[str, tuple[str, bytes]] = {}
    for name, model, horizon in CASES:
        for seed in SEEDS:
            result = plantwin.sim.simulate(model, seed, horizon=horizon)
            sink = pa.BufferOutputStream()
            table = result.events()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            results[f"{name}-seed{seed}"] = (json.dumps(result.kpis), sink.getvalue().to_pybytes())
    with open(out, "wb") as f:
        pickle.dump(results, f)


if __name__ == "__main__":
    main(sys.argv[1])
