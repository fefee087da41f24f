"""What every command prints fits 80 columns: no line wider, no name cut to "…", no cell
wrapped over several lines; output to a pipe keeps its prose lines whole.

The check of wrapping needs no knowledge of the tables: output to a pipe at 80 columns must
equal the output at 200 columns. Tables are laid out for 80 whatever the width and prose is
never hard-wrapped on a pipe, so any difference is something cut or wrapped to fit 80.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantwin.cli import app

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BOX = set("│┃┏┓┗┛┡┩└┘├┤┼━─╇╋┳┻┌┐┬┴")


def _stdout(args: list[str], columns: int, terminal: bool = False) -> str:
    env = {"COLUMNS": str(columns), "TTY_COMPATIBLE": "1" if terminal else "0"}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


def assert_fits(args: list[str]) -> str:
    """Assert that ``plantwin ARGS`` reads at 80 columns, on a pipe and on a terminal: every
    table line within 80, nothing cut with "…", nothing wrapped (the pipe's output at 80 equals
    that at 200), and on a terminal no line at all beyond 80. Returns the pipe's output."""
    narrow = _stdout(args, 80)
    assert "…" not in narrow, narrow
    wide = [line for line in narrow.splitlines() if BOX & set(line) and len(line) > 80]
    assert not wide, "\n".join(wide)
    assert _stdout(args, 200) == narrow, "something was cut or wrapped to fit 80 columns"
    shown = _stdout(args, 80, terminal=True)
    assert "…" not in shown, shown
    assert max(len(line) for line in shown.splitlines()) <= 80, shown
    return narrow


def _saved(args: list[str]) -> int:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    m = re.search(r"saved as run (\d+)", result.stderr)
    assert m, result.stderr
    return int(m.group(1))


def test_run_summary_fits(tmp_path: Path) -> None:
    out = assert_fits(["run", "--horizon", "90d", "--no-save"])
    # the test range's inspection states are rows, not lists squeezed into cells
    assert re.search(r"│   reduced +│ +\d+ │ +\d+ │", out), out


def test_a_run_with_many_states_splits_its_table() -> None:
    """The assembly plant's stations have more states than 80 columns hold side by side."""
    assert_fits(["run", "assembly", "--horizon", "30d", "--no-save"])


SWEEP = ["--sweep", "storage.capacity=10e6,20e6", "--sweep", "grid.cuts.between.mean=120,240"]


def test_experiment_with_long_variant_names_numbers_them() -> None:
    args = ["experiment", "--reps", "3", "--horizon", "30d", *SWEEP, "--compare", "--no-save"]
    out = assert_fits(args)
    assert "  2  storage.capacity=10000000.0, grid.cuts.between.mean=120\n" in out
    assert "Paired differences against variant 1" in out


def test_experiment_shows_fractions_as_percentages_within_0_and_100() -> None:
    """A fill rate near 100 % gets a t-interval above 1; it is shown clipped at 100 %."""
    args = ["experiment", "--reps", "3", "--horizon", "60d", "--kpi", "orders.fill_rate"]
    out = assert_fits([*args, "--no-save"])
    cells = re.findall(r"\[(-?[\d.]+), (-?[\d.]+)\] %", out)
    assert cells, out
    for low, high in cells:
        assert 0.0 <= float(low) <= float(high) <= 100.0


def test_build_study_in_experiment_and_show() -> None:
    args = ["experiment", "maracay-build", "--reps", "2", "--workers", "1"]
    out = assert_fits([*args, "--no-save"])
    run_id = _saved(args)
    shown = assert_fits(["show", str(run_id)])
    for text in (out, shown):
        assert "Commissioning dates over replications" in text
        # by default, shares of the nameplate: the same thresholds as the report's
        assert "P(first-year output >= X)" in text
        for x in ("17.50 M (25 % of nameplate)", "70.00 M (100 % of nameplate)"):
            assert x in text


def test_stored_results_fit() -> None:
    run_id = _saved(
        ["run", "--horizon", "30d", "--label", "baseline", "--set", "storage.capacity=1e7"]
    )
    exp_id = _saved(["experiment", "--reps", "2", "--horizon", "30d", *SWEEP])
    out = assert_fits(["runs"])
    assert "label: baseline" in out and "--set storage.capacity=1e7" in out
    assert "--sweep storage.capacity=10e6,20e6 --sweep grid.cuts.between.mean=120,240" in out
    assert "label: baseline" in assert_fits(["show", str(run_id)])
    assert "--sweep storage.capacity=10e6,20e6" in assert_fits(["show", str(exp_id)])


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios"],
        ["sampling", "plan", "--lot-size", "100000", "--aql", "0.65"],
        ["sampling", "oc", "--n", "500", "--ac", "7", "--lot-size", "100000"],
        ["sampling", "design", "--aql", "0.65", "--alpha", "0.05", "--ltpd", "5", "--beta", "0.1"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_other_commands_fit(args: list[str]) -> None:
    assert_fits(args)


def test_piped_prose_is_not_hard_wrapped() -> None:
    """A note longer than the width stays one line on a pipe; a terminal word-wraps it."""
    args = ["run", "--horizon", "30d", "--no-save"]
    sentence = "outgoing defective = defectives in lots that passed inspection / their units"
    piped = _stdout(args, 80)
    assert any(sentence in line and len(line) > 80 for line in piped.splitlines())
    on_terminal = _stdout(args, 80, terminal=True)
    assert sentence not in on_terminal  # word-wrapped...
    assert sentence in " ".join(on_terminal.split())  # ...but all there
    assert max(map(len, on_terminal.splitlines())) <= 80
