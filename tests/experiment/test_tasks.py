"""How an experiment hands its runs out and gathers them: tasks, and the table they make.

Through the public Executor protocol: a recording executor keeps the tasks an experiment makes
(and runs none of them).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from plantwin.experiment import Experiment, SerialExecutor, sweep_variants
from plantwin.scenario import builtin
from plantwin.sim import Batch, Rows, Simulation

MARACAY = builtin("maracay")


class Recording:
    """An executor of ``workers`` that keeps the tasks it is given, and returns no rows."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.tasks: list[Batch] = []

    def run(self, tasks: list[Batch], done: object) -> Rows:
        self.tasks += tasks
        return Rows()


def test_tasks_shrink_toward_the_end_so_that_the_workers_finish_together() -> None:
    exp = Experiment(MARACAY, replications=1000)
    rec = Recording(workers=2)
    exp.run(rec)
    sizes = [len(t.runs) for t in rec.tasks]
    runs = [run for t in rec.tasks for run in t.runs]
    assert runs == [("base", r) for r in range(1000)]  # each once, in order
    # none more than an eighth of a worker's share: the progress moves in small steps
    assert max(sizes) <= math.ceil(1000 / 16)
    # the last tasks are small: a worker waits for another at most a few runs' time
    assert max(sizes[-4:]) <= math.ceil(1000 / 16 / 8)
    assert sizes == sorted(sizes, reverse=True)
    # and they stay few: each costs a round trip and a scenario's set-up in the worker
    assert len(sizes) <= 24


def test_a_task_carries_only_the_scenarios_of_its_own_runs() -> None:
    variants = sweep_variants([("range.lanes", [1, 2, 3])])
    exp = Experiment(MARACAY, variants, replications=8)
    rec = Recording(workers=4)
    exp.run(rec)
    assert len(rec.tasks) > 1
    for task in rec.tasks:
        assert set(task.scenarios) == {variant for variant, _ in task.runs}


def test_the_table_holds_every_runs_kpis_and_nan_where_a_run_has_none() -> None:
    """A run's KPI names vary with what happened in it (an inspection state reached): the
    table has the union, in the order the names first appear, variant and replication first."""
    variants = sweep_variants([("range.lanes", [1, 2])])
    exp = Experiment(MARACAY, variants, replications=6, seed=1, horizon="30d")
    table = exp.run(SerialExecutor()).table
    runs = [
        (name, r, Simulation(s, 1, replication=r, horizon="30d", event_log=False).run())
        for name, s in exp.scenarios().items()
        for r in range(6)
    ]
    expected = pd.DataFrame(
        [{"variant": name, "replication": r, **res.flat_kpis()} for name, r, res in runs]
    )
    expected["replication"] = expected["replication"].astype(np.int64)
    assert expected.isna().to_numpy().any()  # some runs lack some KPIs: the case in point
    assert list(table.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


def test_a_worker_runs_one_object_per_scenario_whatever_task_brings_it() -> None:
    """Tasks reach a worker pickled; the scenarios they carry are the objects the worker has
    already unpickled from the same bytes (so what the engine works out per scenario object is
    worked out once), and they run as the parent's would."""
    import pickle

    from plantwin.sim import run_batch

    exp = Experiment(MARACAY, sweep_variants([("range.lanes", [1, 2])]), replications=4)
    rec = Recording(workers=2)
    exp.run(rec)
    arrived = [pickle.loads(pickle.dumps(t)) for t in rec.tasks]
    for variant in ("base", "range.lanes=2"):
        carried = [t.scenarios[variant] for t in arrived if variant in t.scenarios]
        assert len(carried) > 1 and all(s is carried[0] for s in carried)
    first, again = rec.tasks[0], arrived[0]
    assert again.scenarios == first.scenarios and again.runs == first.runs
    here, there = run_batch(first), run_batch(again)
    assert here.names == there.names
    assert all((a == b).all() for a, b in zip(here.values, there.values, strict=True))
