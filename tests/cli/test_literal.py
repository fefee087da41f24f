"""Scenario and store text is printed as it is by every command: never read as Rich markup or
emoji codes, and never passing control characters (ESC, C1 codes) to the terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.results import open_store
from plantwin.scenario import parse_scenario
from plantwin.sim import simulate

MARKUP = "[/] [bold]x :100:"  # a closing tag with nothing to close, a style, an emoji code
ESCAPE = "[/] \x1b[31m red \x9b2J"  # ESC, and C1 CSI: colour the terminal red, clear it
EMOJI = "\U0001f4af"  # what Rich makes of :100:


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANTWIN_DB", raising=False)
    return tmp_path


def named(small_toml: str, name: str) -> str:
    """The small test plant under another name (a TOML basic string: JSON's escapes work)."""
    return small_toml.replace('name = "small test plant"', f"name = {json.dumps(name)}")


def invoke(*args: str) -> Result:
    # wide enough that no table cell is cut short
    return CliRunner(env={"COLUMNS": "250"}).invoke(app, list(args))


def check(result: Result, code: int = 0) -> str:
    """The whole output of a command that ended with ``code``, checked to be literal."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "MarkupError" not in result.output
    assert EMOJI not in result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    return result.output


def saved_id(result: Result) -> int:
    m = re.search(r"saved as run (\d+) in ", result.stderr)
    assert m, result.stderr
    return int(m.group(1))


def test_markup_and_emoji_codes_are_printed_as_written(env: Path, small_toml: str) -> None:
    Path("plant.toml").write_text(named(small_toml, MARKUP), encoding="utf-8")
    assert MARKUP in check(invoke("validate", "plant.toml"))
    ran = invoke("run", "plant.toml", "--horizon", "2d")
    assert MARKUP in check(ran)
    run_id = saved_id(ran)
    assert MARKUP in check(invoke("runs"))
    assert MARKUP in check(invoke("show", str(run_id)))
    assert "report written" in check(invoke("report", str(run_id), "-o", "r.html"))
    assert "wrote" in check(invoke("export", str(run_id), "--format", "csv", "-o", "out"))
    names = f"plant.name={json.dumps(MARKUP)},{json.dumps('[green]y')}"
    exp = invoke("experiment", "plant.toml", "--horizon", "1d", "--reps", "2", "--workers", "1",
                 "--sweep", names)  # fmt: skip
    shown = check(exp)
    assert f"plant.name={MARKUP}" in shown and "plant.name=[green]y" in shown
    assert "plant.name=[green]y" in check(invoke("show", str(saved_id(exp))))


def test_an_error_on_line_100_shows_the_line_number(env: Path, small_toml: str) -> None:
    lines = small_toml.splitlines()
    at = lines.index("rate = 100")
    text = "\n".join(lines[:at] + [""] * (99 - at) + ["rate = -100"] + lines[at + 1 :])
    Path("plant.toml").write_text(text, encoding="utf-8")
    out = check(invoke("validate", "plant.toml"), code=2)
    assert "plant.toml:100: lines[0].rate" in out


def test_control_characters_in_a_scenario_are_refused_and_shown_escaped(
    env: Path, small_toml: str
) -> None:
    Path("plant.toml").write_text(named(small_toml, ESCAPE), encoding="utf-8")
    for args in (["validate", "plant.toml"], ["run", "plant.toml"], ["experiment", "plant.toml"]):
        out = check(invoke(*args), code=2)
        assert "plant.name" in out and "\\x1b[31m red" in out
    assert not Path("plantwin.db").exists()


def test_control_characters_from_the_store_never_reach_the_terminal(
    env: Path, small_toml: str
) -> None:
    """A store can hold text from before the validator refused it, or from another program."""
    s = parse_scenario(small_toml)
    bad = s.model_copy(update={"plant": s.plant.model_copy(update={"name": ESCAPE})})
    with open_store("plantwin.db") as store:
        run_id = store.save_run(simulate(bad, seed=1, horizon="1d"))
    listed = check(invoke("runs"))
    assert "[/] \\x1b[31m red \\x9b2J" in listed
    # a stored scenario is read under the rules it was saved under: nothing is locked away,
    # and the name still reaches the terminal only escaped
    shown = check(invoke("show", str(run_id)))
    assert "[/] \\x1b[31m red \\x9b2J" in shown
    for args in (["report", "-o", "r.html"], ["export", "-o", "out"]):
        check(invoke(args[0], str(run_id), *args[1:]))
    assert Path("r.html").exists() and Path("out").is_dir()


def test_usage_errors_quote_arguments_escaped(env: Path) -> None:
    out = check(invoke("run", "--no-such\x1b[31m"), code=2)
    assert "No such option: --no-such\\x1b[31m" in out
    out = check(invoke("show", "1", "extra\x1b[2J"), code=2)
    assert "extra\\x1b[2J" in out
