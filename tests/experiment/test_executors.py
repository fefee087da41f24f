"""Local workers stop at once on Ctrl-C, whatever they are doing when it comes."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from plantwin.experiment import LocalExecutor, _executors
from plantwin.sim import Batch, Rows


def _large_rows(batch: Batch) -> Rows:
    """A task's rows far larger than a pipe holds: sending them takes the worker a while."""
    return Rows(values=[np.zeros(5_000_000)])  # 40 MB


def test_ctrl_c_stops_workers_that_are_sending_their_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker terminated while it sends its rows leaves half a message behind; the pool must
    not wait for the rest of it (it waited for ever: the test ran out of its deadline)."""
    monkeypatch.setattr(_executors, "run_batch", _large_rows)
    tasks = [Batch({}, 1, None, (("base", i),)) for i in range(8)]
    executor = LocalExecutor(2)  # forked here, while this process has a single thread
    outcome: list[str] = []

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C, as the first rows come back

    def run() -> None:
        try:
            executor.run(tasks, interrupt)
        except KeyboardInterrupt:
            outcome.append("stopped")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the pool still waits for a dead worker's rows"
    assert outcome == ["stopped"]
