"""An experiment: variants x replications checked against the caps, run on an executor, saved."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from plantwin.scenario import ScenarioError
from plantwin.service._errors import BadInput, EngineFailed, RunFailed, bad_scenario
from plantwin.service._kpis import check_experiment_kpis
from plantwin.service._limits import MAX_RUNS, MAX_VARIANTS
from plantwin.service._load import LoadedScenario
from plantwin.service._outcome import ExperimentOutcome
from plantwin.service._store import save

if TYPE_CHECKING:
    from plantwin.experiment import Executor, Experiment
    from plantwin.results import Store
    from plantwin.scenario import Network, Scenario

__all__ = ["ExperimentPlan", "plan_experiment", "run_experiment"]


@dataclass(frozen=True)
class ExperimentPlan:
    """An experiment whose every variant is valid and whose size is within the caps.

    ``precision`` is (KPI, relative half-width) for a run to precision, capped at
    ``max_reps`` replications per variant; ``sweeps`` the ``--sweep`` options as typed;
    ``first_year`` the X of P(first-year output >= X) to keep with the results."""

    loaded: LoadedScenario
    experiment: Experiment
    scenarios: dict[str, Scenario | Network]
    precision: tuple[str, float] | None
    max_reps: int
    sweeps: tuple[str, ...] = ()
    first_year: float | None = None

    @property
    def runs(self) -> int:
        """The runs of the first round: variants x replications."""
        return self.experiment.replications * len(self.experiment.variants)


def _variants(sweeps: Sequence[str]) -> dict[str, list[Any]]:
    """The variants of the sweeps: at most MAX_VARIANTS, counted before they are built."""
    from plantwin.experiment import parse_sweep, sweep_variants

    try:
        parsed = [parse_sweep(s, MAX_VARIANTS) for s in sweeps]
    except ValueError as exc:
        raise BadInput(f"--sweep {exc}") from exc
    count = math.prod(len(values) for _, values in parsed)
    if count > MAX_VARIANTS:
        sizes = " x ".join(str(len(values)) for _, values in parsed)
        raise BadInput(f"--sweep makes {sizes} = {count:,} variants; at most {MAX_VARIANTS:,}")
    return sweep_variants(parsed)


def plan_experiment(
    loaded: LoadedScenario,
    *,
    reps: int = 10,
    seed: int = 1,
    sweeps: Sequence[str] = (),
    precision: tuple[str, float] | None = None,
    max_reps: int = 1000,
    kpis: Sequence[str] = (),
    first_year: float | None = None,
) -> ExperimentPlan:
    """Check an experiment before any work: every variant of the ``sweeps`` (``PATH=V1,V2``,
    ``PATH=START:STOP:STEP``) valid, the runs within MAX_RUNS, the precision KPI and the
    ``kpis`` globs naming KPIs the runs have; BadInput otherwise."""
    from plantwin.experiment import Experiment

    exp = Experiment(loaded.scenario, _variants(sweeps), reps, seed, loaded.horizon)
    try:
        scenarios = exp.scenarios()
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    variants = len(exp.variants)
    planned = variants * (max(reps, max_reps) if precision else reps)
    if planned > MAX_RUNS:
        raise BadInput(
            f"{variants:,} variants x {planned // variants:,} replications = {planned:,} runs; "
            f"at most {MAX_RUNS:,} in one experiment (fewer variants, --reps or --max-reps)"
        )
    if precision is not None or kpis:
        check_experiment_kpis(scenarios.values(), precision[0] if precision else None, kpis)
    return ExperimentPlan(loaded, exp, scenarios, precision, max_reps, tuple(sweeps), first_year)


def _executor(dask: str | None, workers: int | None, runs: int) -> Executor:
    from plantwin.experiment import DaskExecutor, LocalExecutor, SerialExecutor

    if dask is not None:
        if dask != "local" and not dask.startswith(("tcp://", "tls://")):
            raise BadInput(
                f"--dask {dask!r}: use 'local' or a scheduler address such as tcp://HOST:8786"
            )
        try:
            return DaskExecutor(dask, workers)
        except (OSError, TimeoutError) as exc:
            raise RunFailed(f"cannot reach the Dask scheduler at {dask}: {exc}") from exc
        except RuntimeError as exc:
            raise RunFailed(str(exc)) from exc
    if workers == 1 or runs <= 1:
        return SerialExecutor()
    return LocalExecutor(workers)


def run_experiment(
    plan: ExperimentPlan,
    *,
    dask: str | None = None,
    workers: int | None = None,
    started: Callable[[int], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    store: Store | None = None,
    label: str | None = None,
    summary_only: bool = False,
) -> ExperimentOutcome:
    """Run ``plan`` on local processes (``workers``, default all cores; one runs serially) or
    on Dask (``dask``: 'local' or a scheduler address), then save it in ``store`` when given.

    ``started(workers)`` is called once the workers are up: local workers are forked while
    this process has one thread, so a shell starts its threads (a progress bar) there, not
    before. ``progress(done, planned)`` follows the replications. The workers are stopped
    whatever happens; KeyboardInterrupt then propagates and nothing is saved. ``label``
    (checked by :func:`check_label`) is stored with it. ``summary_only``: the caller reads the
    result's summary and not its table (pandas is then imported only when the table is read,
    as saving in ``store`` does)."""
    start = datetime.now(UTC)
    exp = plan.experiment
    executor = _executor(dask, workers, plan.runs)
    try:
        if started is not None:
            started(executor.workers)
        if plan.precision is None:
            result = exp.run(executor, progress, summary_only=summary_only and store is None)
        else:
            kpi, relative = plan.precision
            result = exp.run_to_precision(kpi, relative, plan.max_reps, executor, progress)
    except KeyError as exc:
        raise BadInput(f"--precision: no KPI named {exc.args[0]!r}") from exc
    except Exception as exc:  # a replication failed in the engine: not the user's mistake
        raise EngineFailed(f"the experiment failed: {type(exc).__name__}: {exc}") from exc
    finally:
        close = getattr(executor, "close", None)
        if close is not None:
            close()
    outcome = ExperimentOutcome(
        loaded=plan.loaded,
        result=result,
        started_at=start,
        finished_at=datetime.now(UTC),
        label=label,
        sweeps=plan.sweeps,
        first_year=plan.first_year,
    )
    if store is not None:
        outcome.saved = save(store, outcome.stored)
    return outcome
