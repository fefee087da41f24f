"""What every shell calls: load -> run -> save -> write outputs, and the same for experiments.

The command line and the web app only parse their input, call these functions and render what
comes back. The service prints nothing: progress goes through callbacks, and every failure is
a :class:`ServiceError` whose message is ready to show (:class:`BadInput`: the request is
wrong; :class:`RunFailed`: its work failed). KeyboardInterrupt propagates, workers stopped.

Names are imported on first use, so a shell pays only for the packages its request needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin._lazy import lazy_attributes

if TYPE_CHECKING:
    from plantwin.service._convert import convert
    from plantwin.service._errors import (
        BadInput,
        EngineFailed,
        RunFailed,
        ServiceError,
        bad_scenario,
    )
    from plantwin.service._experiment import ExperimentPlan, plan_experiment, run_experiment
    from plantwin.service._kpis import experiment_kpis, match_kpis
    from plantwin.service._limits import (
        MAX_INT,
        MAX_LABEL,
        MAX_REPS,
        MAX_RUNS,
        MAX_SEED,
        MAX_VARIANTS,
    )
    from plantwin.service._load import (
        LoadedScenario,
        check_label,
        check_output,
        load,
        load_source,
    )
    from plantwin.service._outcome import ExperimentOutcome, Outcome, RunOutcome
    from plantwin.service._outputs import export_run, write_events, write_report, write_table
    from plantwin.service._run import run
    from plantwin.service._store import delete_run, list_runs, load_run, open_store

_SOURCES = {
    "_convert": ["convert"],
    "_errors": ["BadInput", "EngineFailed", "RunFailed", "ServiceError", "bad_scenario"],
    "_experiment": ["ExperimentPlan", "plan_experiment", "run_experiment"],
    "_kpis": ["experiment_kpis", "match_kpis"],
    "_limits": ["MAX_INT", "MAX_LABEL", "MAX_REPS", "MAX_RUNS", "MAX_SEED", "MAX_VARIANTS"],
    "_load": ["LoadedScenario", "check_label", "check_output", "load", "load_source"],
    "_outcome": ["ExperimentOutcome", "Outcome", "RunOutcome"],
    "_outputs": ["export_run", "write_events", "write_report", "write_table"],
    "_run": ["run"],
    "_store": ["delete_run", "list_runs", "load_run", "open_store"],
}

__all__ = [
    "MAX_INT",
    "MAX_LABEL",
    "MAX_REPS",
    "MAX_RUNS",
    "MAX_SEED",
    "MAX_VARIANTS",
    "BadInput",
    "EngineFailed",
    "ExperimentOutcome",
    "ExperimentPlan",
    "LoadedScenario",
    "Outcome",
    "RunFailed",
    "RunOutcome",
    "ServiceError",
    "bad_scenario",
    "check_label",
    "check_output",
    "convert",
    "delete_run",
    "experiment_kpis",
    "export_run",
    "list_runs",
    "load",
    "load_run",
    "load_source",
    "match_kpis",
    "open_store",
    "plan_experiment",
    "run",
    "run_experiment",
    "write_events",
    "write_report",
    "write_table",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {name: f"{__name__}.{module}" for module, names in _SOURCES.items() for name in names},
)
