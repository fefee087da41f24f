"""Experiments: a scenario, named variants, replications and a seed; common random numbers.

Replication r of every variant draws from the same named random streams (seed, r), so the
difference between two variants comes from the change, not from luck, and paired differences
have much narrower confidence intervals than separate runs would.

Running imports neither pandas nor scipy (most of a second): local workers are forked without
them, and while they run, a background thread imports what the results need (the intervals;
the table too unless the caller says it reads only the summary), so that the import overlaps
the replications instead of following them. The results are numpy columns: the summary needs
no pandas, and the table (a DataFrame) is built when first read.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import json
import math
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from plantwin.experiment._executors import Executor, SerialExecutor, chunked
from plantwin.scenario import (
    Network,
    Override,
    Problem,
    Scenario,
    ScenarioError,
    apply_overrides,
    check_event_budget,
    duration_hours,
    parse_value,
)
from plantwin.sim import Batch, Rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Columns", "Experiment", "ResultSet", "parse_sweep", "sweep_variants"]

Progress = Callable[[int, int], None]  # (replications done, replications planned)


@dataclass(frozen=True, eq=False)
class Columns:
    """An experiment's table as numpy columns: each row's variant and replication, and one
    float column per KPI (in the table's order). What the summary and the terminal read, so
    that they need no pandas; :meth:`frame` is the table as a DataFrame."""

    variant: list[str]
    replication: np.ndarray
    kpis: dict[str, np.ndarray]

    @classmethod
    def empty(cls) -> Columns:
        """No rows, no KPIs."""
        return cls([], np.zeros(0, np.int64), {})

    @classmethod
    def of(cls, table: pd.DataFrame) -> Columns:
        """The columns of a table with ``variant`` and ``replication`` columns (a stored one)."""
        if "variant" not in table:
            return cls.empty()
        names = [c for c in table.columns if c not in ("variant", "replication")]
        return cls(
            table["variant"].tolist(),
            table["replication"].to_numpy(),
            {name: table[name].to_numpy() for name in names},
        )

    def __len__(self) -> int:
        return len(self.variant)

    def __contains__(self, kpi: object) -> bool:
        return kpi in self.kpis

    def __getitem__(self, kpi: str) -> np.ndarray:
        """A KPI's column (KeyError when no replication has it)."""
        return self.kpis[kpi]

    def by_variant(self) -> Iterator[tuple[str, Columns]]:
        """Each variant's rows, variants in their order of first appearance (as a DataFrame's
        ``groupby("variant", sort=False)``)."""
        names = np.asarray(self.variant, dtype=object)
        for name in dict.fromkeys(self.variant):
            rows = np.flatnonzero(names == name)
            kpis = {kpi: values[rows] for kpi, values in self.kpis.items()}
            yield name, Columns([name] * len(rows), self.replication[rows], kpis)

    def frame(self) -> pd.DataFrame:
        """The table: ``variant``, ``replication``, then the KPIs (empty without rows)."""
        import pandas as pd

        if not len(self):
            return pd.DataFrame()
        table = pd.DataFrame(self.kpis)
        table.insert(0, "replication", self.replication)
        table.insert(0, "variant", self.variant)
        return table


class ResultSet:
    """KPIs of every (variant, replication): one row each, one float column per KPI.

    ``table`` is given as a DataFrame or as :class:`Columns`; read, it is always a DataFrame
    (built on first use). Read-only once made."""

    def __init__(
        self,
        scenario: Scenario | Network,
        variants: dict[str, dict[str, Any]],
        seed: int,
        replications: int,
        table: pd.DataFrame | Columns,
        horizon: str | float | None = None,
    ) -> None:
        self.scenario = scenario
        self.variants = variants
        self.seed = seed
        self.replications = replications
        self.horizon = horizon
        self._given = table

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per (variant, replication): ``variant``, ``replication``, the KPIs."""
        given = self._given
        return given.frame() if isinstance(given, Columns) else given

    @cached_property
    def columns(self) -> Columns:
        """The table as numpy columns."""
        given = self._given
        return given if isinstance(given, Columns) else Columns.of(given)

    @property
    def base(self) -> str:
        """The first variant, against which the others are compared."""
        return next(iter(self.variants))

    def kpis(self) -> list[str]:
        """The KPI columns."""
        return list(self.columns.kpis)

    def summary_records(
        self, kpis: Sequence[str] | None = None, level: float = 0.95
    ) -> list[dict[str, Any]]:
        """:meth:`summary` as one dict a row, computed without pandas."""
        from plantwin.experiment._stats import SUMMARY_COLUMNS, summary_rows

        rows = summary_rows(self.columns.by_variant(), list(kpis or self.kpis()), level)
        return [dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in rows]

    def summary(self, kpis: Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Mean, sd and Student-t CI per variant and KPI (the rows of :meth:`summary_records`,
        framed: the table itself is not needed)."""
        import pandas as pd

        from plantwin.experiment._stats import SUMMARY_COLUMNS

        return pd.DataFrame(self.summary_records(kpis, level), columns=list(SUMMARY_COLUMNS))

    def compare(self, kpis: Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Paired differences of each variant against the first, with their CIs."""
        from plantwin.experiment._stats import paired_differences

        return paired_differences(self.table, list(kpis or self.kpis()), self.base, level)


def parse_sweep(expr: str, limit: int | None = None) -> tuple[str, list[Any]]:
    """``path=v1,v2,v3`` or ``path=start:stop:step`` (stop included) as (path, values).

    More than ``limit`` values raise ValueError; a range is counted before it is built, so a
    tiny step costs nothing.
    """
    path, sep, spec = expr.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path or not spec:
        raise ValueError(f"{expr!r} is not PATH=V1,V2,... or PATH=START:STOP:STEP")
    too_many = f"{expr!r}: more than {limit:,} values" if limit is not None else ""
    if ":" in spec and "," not in spec:
        parts = spec.split(":")
        try:
            start, stop, step = (float(p) for p in parts)
        except ValueError:
            raise ValueError(f"{expr!r}: a range is START:STOP:STEP, three numbers") from None
        if not all(math.isfinite(v) for v in (start, stop, step)):
            raise ValueError(f"{expr!r}: START, STOP and STEP must be finite numbers")
        if step <= 0 or stop < start:
            raise ValueError(f"{expr!r}: need a positive step and START <= STOP")
        span = (stop - start) / step + 1e-9  # inf when the step is tiny
        if not math.isfinite(span) or (limit is not None and span >= limit):
            raise ValueError(too_many or f"{expr!r}: too many values")
        values = [start + i * step for i in range(math.floor(span) + 1)]
        as_int = all(float(v).is_integer() for v in (start, step))
        return path, [int(v) if as_int else round(v, 12) for v in values]
    try:  # a TOML array keeps inline tables and quoted commas whole
        values = tomllib.loads(f"v = [{spec}]")["v"]
    except tomllib.TOMLDecodeError:
        values = [parse_value(v.strip()) for v in spec.split(",") if v.strip()]
    if limit is not None and len(values) > limit:
        raise ValueError(too_many)
    return path, list(values)


def _show(value: Any) -> str:
    if isinstance(value, dict | list | bool):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def sweep_variants(sweeps: Sequence[tuple[str, list[Any]]]) -> dict[str, list[Override]]:
    """The base variant, then one variant per combination of swept values."""
    variants: dict[str, list[Override]] = {"base": []}
    if not sweeps:
        return variants
    for combo in itertools.product(*(values for _, values in sweeps)):
        overrides = [(path, v) for (path, _), v in zip(sweeps, combo, strict=True)]
        variants[", ".join(f"{p}={_show(v)}" for p, v in overrides)] = overrides
    return variants


@dataclass(frozen=True)
class Experiment:
    """A scenario, variants (overrides), replications per variant and one seed."""

    scenario: Scenario | Network
    variants: dict[str, list[Override]] = field(default_factory=lambda: {"base": []})
    replications: int = 10
    seed: int = 1
    horizon: str | float | None = None

    def __post_init__(self) -> None:
        """A horizon that cannot run fails here, not in every worker."""
        if self.horizon is not None:
            hours = duration_hours(self.horizon, self.scenario.plant.start)
            why = check_event_budget(self.scenario, hours)
            if why is not None:
                raise ValueError(f"horizon {self.horizon!r}: {why}")

    def scenarios(self) -> dict[str, Scenario | Network]:
        """Each variant's validated scenario; a bad override raises ScenarioError naming it."""
        out = {}
        problems: list[Problem] = []
        for name, overrides in self.variants.items():
            try:
                out[name] = apply_overrides(self.scenario, list(overrides), f"variant {name!r}")
            except ScenarioError as exc:
                problems += exc.problems
        if problems:
            raise ScenarioError("--set/--sweep", problems)
        return out

    def run(
        self,
        executor: Executor | None = None,
        progress: Progress | None = None,
        replications: range | None = None,
        *,
        summary_only: bool = False,
    ) -> ResultSet:
        """Run every variant for each replication (``replications`` picks which).

        ``summary_only``: the caller reads the summary (:meth:`ResultSet.summary_records`)
        and not the table, so pandas is not imported while the replications run."""
        reps = replications or range(self.replications)
        ex = executor or SerialExecutor()
        modules = _SUMMARY_MODULES if summary_only else _RESULT_MODULES
        return self._result(self._rows(self.scenarios(), reps, ex, progress, 0, modules))

    def run_to_precision(
        self,
        kpi: str,
        relative: float,
        max_replications: int = 1000,
        executor: Executor | None = None,
        progress: Progress | None = None,
    ) -> ResultSet:
        """Add replications until every variant's CI half-width of ``kpi`` is below
        ``relative`` x |mean| (sequential stopping), or ``max_replications`` is reached."""
        from plantwin.experiment._stats import relative_half_width

        if not 0 < relative < 1:
            raise ValueError(f"relative precision must be in (0, 1), got {relative}")
        scenarios = self.scenarios()
        ex = executor or SerialExecutor()
        n = min(max(self.replications, 2), max_replications)
        rows = self._rows(scenarios, range(n), ex, progress, 0, _RESULT_MODULES)
        while True:
            result = self._result(rows)
            if kpi not in result.columns:
                raise KeyError(kpi)
            ratio = relative_half_width(result.table, kpi)
            if (ratio <= relative).all() or n >= max_replications:
                return result
            # the half-width shrinks like 1/sqrt(n): aim for the needed n, at least 20 % more
            need = math.ceil(n * float(ratio.max() / relative) ** 2)
            target = min(max_replications, max(need, int(n * 1.2) + 1))
            rows.extend(self._rows(scenarios, range(n, target), ex, progress, n, _RESULT_MODULES))
            n = target

    def _rows(
        self,
        scenarios: dict[str, Scenario | Network],
        reps: range,
        executor: Executor,
        progress: Progress | None,
        already: int,
        prefetch: Sequence[str],
    ) -> Rows:
        """The runs of ``reps``, on ``executor``; when that runs them in other processes,
        this one imports the modules ``prefetch`` names meanwhile."""
        runs = [(v, r) for r in reps for v in scenarios]
        total = already * len(scenarios) + len(runs)
        done = already * len(scenarios)
        tasks = [
            # each task carries only its runs' variants: a sweep's other scenarios stay home
            Batch({v: scenarios[v] for v, _ in chunk}, self.seed, self.horizon, chunk)
            for chunk in chunked(runs, executor.workers)
        ]

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        if progress is not None:
            progress(done, total)
        if not isinstance(executor, SerialExecutor):  # the work runs elsewhere: overlap it
            _prefetch(prefetch)
        return executor.run(tasks, tick)

    def _result(self, rows: Rows) -> ResultSet:
        columns = _columns(rows, list(self.variants))
        reps = len(set(columns.replication.tolist()))
        variants = {name: dict(o) for name, o in self.variants.items()}
        return ResultSet(self.scenario, variants, self.seed, reps, columns, self.horizon)


# what an experiment's results need (the table, its intervals) and running it does not; the
# summary alone needs only the intervals (Student t quantiles)
_RESULT_MODULES = ("pandas", "scipy.special")
_SUMMARY_MODULES = ("scipy.special",)


def _import_quietly(names: list[str]) -> None:
    for name in names:
        # a module that fails here fails again where it is used, with its error shown there
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def _prefetch(modules: Sequence[str]) -> None:
    """Start importing those of ``modules`` not yet imported, in a background thread: done while
    the workers replicate, the import (most of a second) shares the cores with them instead of
    following them on one core while the others idle. A daemon: Ctrl-C does not wait for it."""
    missing = [name for name in modules if name not in sys.modules]
    if missing:
        threading.Thread(
            target=_import_quietly, args=(missing,), name="plantwin-prefetch", daemon=True
        ).start()


def _columns(rows: Rows, variants: list[str]) -> Columns:
    """One row per (variant, replication), variants in their order, then by replication; the
    KPI columns in the order they first appear (NaN where a run has no such KPI).

    Filled into one float array (a frame per set of KPI names, concatenated, took three times
    as long for a thousand replications), whose columns are views of it."""
    if not len(rows):
        return Columns.empty()
    # the KPIs hold the replication too (as a float): the table's column is the run's own
    columns = list(dict.fromkeys(n for names in rows.names for n in names if n != "replication"))
    column = {name: j for j, name in enumerate(columns)}
    values = np.full((len(rows), len(columns)), np.nan)
    keys = np.asarray(rows.keys)
    for k, names in enumerate(rows.names):
        idx = np.flatnonzero(keys == k)
        mine = np.array([j for j, name in enumerate(names) if name != "replication"], np.intp)
        where = np.array([column[names[j]] for j in mine], np.intp)
        values[np.ix_(idx, where)] = np.vstack([rows.values[i] for i in idx])[:, mine]
    order = {name: i for i, name in enumerate(variants)}
    rank = np.array([order[v] for v in rows.variants], np.int64)
    replications = np.array(rows.replications, np.int64)
    sort = np.lexsort((replications, rank))
    values = values[sort]
    return Columns(
        [rows.variants[i] for i in sort],
        replications[sort],
        {name: values[:, j] for j, name in enumerate(columns)},
    )
