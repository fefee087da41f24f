"""``plantwin.service`` through its public API: load -> run -> save -> outputs, experiments.

The small test plant (conftest) has no failures, no grid events and a 24/7 calendar, so a line
of rate r makes exactly r x 24 units a day: the figures below follow from that, not from a run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from plantwin import service
from plantwin.results import Store
from plantwin.service import BadInput, EngineFailed, RunFailed


@pytest.fixture
def small(tmp_path: Path, small_toml: str) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(small_toml, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with service.open_store(f"sqlite:///{tmp_path / 'store.db'}") as opened:
        yield opened


def test_load_applies_overrides_and_the_horizon(small: Path, small_toml: str) -> None:
    loaded = service.load(str(small), sets=["lines.L1.rate=50"], horizon="2d")
    assert loaded.scenario.lines[0].rate == 50
    assert (loaded.horizon, loaded.horizon_hours) == ("2d", 48.0)
    assert loaded.source_text == small_toml  # kept beside the results
    assert service.load(str(small)).horizon_hours == 7 * 24.0  # the scenario's own horizon


def test_a_run_is_saved_and_its_outputs_written(
    small: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = service.load(str(small), sets=["lines.L1.rate=50"], horizon="1d")
    ticks: list[tuple[float, float]] = []
    outcome = service.run(loaded, seed=7, replication=3, progress=lambda *a: ticks.append(a))
    assert outcome.saved is None
    assert outcome.result.kpis["output"]["units_made"] == 50 * 24
    assert ticks and ticks[-1][1] == 24.0

    saved = service.run(loaded, seed=7, replication=3, store=store)
    assert saved.saved is not None
    stored = store.load(saved.saved)
    assert (stored.kind, stored.seed, stored.replication) == ("run", 7, 3)
    assert stored.kpis == saved.result.kpis  # the same seed and replication: the same run
    assert stored.source_text == loaded.source_text

    events = tmp_path / "events.csv"
    assert service.write_events(saved, events) == len(pd.read_csv(events))
    report = service.write_report(saved, tmp_path / "run.html")
    assert "<html" in report.read_text(encoding="utf-8").lower()
    assert capsys.readouterr() == ("", "")  # the service prints nothing


def test_an_experiment_with_two_variants_is_saved(
    small: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = service.load(str(small), horizon="1d")
    plan = service.plan_experiment(loaded, reps=2, seed=5, sweeps=["lines.L1.rate=50,100"])
    assert list(plan.scenarios) == ["base", "lines.L1.rate=50", "lines.L1.rate=100"]
    workers: list[int] = []
    done: list[tuple[int, int]] = []
    outcome = service.run_experiment(
        plan, workers=1, started=workers.append, progress=lambda *a: done.append(a), store=store
    )
    assert workers == [1] and done[-1] == (6, 6)  # 3 variants x 2 replications
    table = outcome.result.table
    made = table.groupby("variant")["output.units_made"].agg(["min", "max"])
    assert made.loc["lines.L1.rate=50"].tolist() == [50 * 24, 50 * 24]
    assert made.loc["lines.L1.rate=100"].tolist() == [100 * 24, 100 * 24]
    assert outcome.saved is not None
    stored = store.load(outcome.saved)
    assert stored.kind == "experiment" and stored.seed == 5
    assert stored.resultset().replications == 2
    assert capsys.readouterr() == ("", "")


def test_bad_input_raises_bad_input_with_the_message(small: Path, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"^1 problem in the scenario:\n.*lines\[0\]\.rate") as bad:
        service.load(str(small), sets=["lines[0].rate=-1"])
    assert [p.path for p in bad.value.problems] == [("lines", 0, "rate")]
    with pytest.raises(BadInput, match=r"^--set: 'nonsense' is not PATH=VALUE"):
        service.load(str(small), sets=["nonsense"])
    with pytest.raises(BadInput, match=r"^--horizon: 'zz' is not a duration"):
        service.load(str(small), horizon="zz")
    with pytest.raises(BadInput, match=r"is a folder; give a file name"):
        service.check_output(tmp_path, "--events")
    with pytest.raises(BadInput, match=r"^--out x\.json: name a \.parquet or a \.csv file$"):
        service.check_output(Path("x.json"), "--out", (".parquet", ".csv"))
    with pytest.raises(BadInput, match=r"in-memory database"):
        service.open_store("sqlite://")
    with pytest.raises(BadInput, match=r"nothing has been saved there"):
        service.load_run(f"sqlite:///{tmp_path / 'none.db'}", 1)


def test_an_experiment_is_checked_before_any_work(small: Path) -> None:
    loaded = service.load(str(small), horizon="1d")
    with pytest.raises(BadInput, match=r"^--kpi 'output\.units_mad' matches no KPI; did you"):
        service.plan_experiment(loaded, reps=2, kpis=["output.units_mad"])
    with pytest.raises(BadInput, match=r"^--precision 'nope' matches no KPI"):
        service.plan_experiment(loaded, reps=2, precision=("nope", 0.1))
    runs = service.MAX_RUNS // 2 + 1
    with pytest.raises(BadInput, match=rf"at most {service.MAX_RUNS:,} in one experiment"):
        service.plan_experiment(loaded, reps=runs, sweeps=["lines.L1.rate=50"])
    with pytest.raises(
        BadInput, match=r"^1 problem in the scenario:\n--set/--sweep: lines\[0\]\.rate"
    ):
        service.plan_experiment(loaded, sweeps=["lines.L1.rate=-1"])


def test_an_output_failure_after_the_save_keeps_the_saved_id(
    small: Path, store: Store, tmp_path: Path
) -> None:
    outcome = service.run(service.load(str(small), horizon="1d"), store=store)
    gone = Path("/proc")  # passes every check but takes no new file: the write fails
    with pytest.raises(RunFailed, match=rf"saved as run {outcome.saved} \(plantwin show"):
        service.write_events(outcome, gone / "events.csv")
    with pytest.raises(RunFailed, match=rf"^cannot write the report to .*run {outcome.saved}"):
        service.write_report(outcome, gone / "run.html")
    assert outcome.saved is not None
    assert store.load(outcome.saved).kpis == outcome.result.kpis
    unsaved = service.run(service.load(str(small), horizon="1d"))
    with pytest.raises(RunFailed, match=r"the results were not saved"):
        service.write_events(unsaved, gone / "events.csv")


def test_a_failed_or_stopped_run_saves_nothing(small: Path, store: Store) -> None:
    loaded = service.load(str(small), horizon="1d")

    def broken(now: float, end: float) -> None:
        raise RuntimeError("a defect")

    with pytest.raises(EngineFailed, match=r"^the run failed: RuntimeError: a defect$"):
        service.run(loaded, progress=broken, store=store)

    def ctrl_c(*_: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        service.run(loaded, progress=ctrl_c, store=store)
    plan = service.plan_experiment(loaded, reps=2)
    with pytest.raises(KeyboardInterrupt):
        service.run_experiment(plan, workers=1, progress=ctrl_c, store=store)
    assert store.list_runs() == []


def test_the_service_imports_no_shell(small: Path, tmp_path: Path) -> None:
    """The web app calls the same functions: they need neither Typer nor Rich."""
    script = (
        "import json, sys\n"
        "from plantwin import service\n"
        f"outcome = service.run(service.load({str(small)!r}, horizon='1d'))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    assert [m for m in modules if m.split(".")[0] in ("typer", "rich", "click")] == []


def test_listing_a_store_that_does_not_exist_lists_nothing_and_makes_none(
    tmp_path: Path,
) -> None:
    assert service.list_runs(f"sqlite:///{tmp_path / 'none.db'}") == []
    assert not (tmp_path / "none.db").exists()
