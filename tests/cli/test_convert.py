"""``plantwin convert``: a scenario in format 2, which loads and runs as the file it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.scenario import (
    Network,
    builtin_names,
    builtin_text,
    load_scenario,
    parse_scenario,
    to_network,
)
from plantwin.sim import simulate

from .test_startup import HEAVY, loaded, modules_after


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def assert_clean_failure(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def converted(tmp_path: Path, source: str) -> Path:
    out = tmp_path / "net.toml"
    result = invoke("convert", source, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    return out


@pytest.mark.parametrize("name", [*builtin_names(), "small"])
def test_a_converted_scenario_runs_exactly_as_the_original(
    tmp_path: Path, small_toml: str, name: str
) -> None:
    if name == "small":
        source = tmp_path / "small.toml"
        source.write_text(small_toml, encoding="utf-8")
        original = parse_scenario(small_toml)
    else:
        source, original = Path(name), parse_scenario(builtin_text(name))
    out = converted(tmp_path, str(source))
    text = out.read_text(encoding="utf-8")
    assert "format = 2" in text and "[[stations]]" in text and "[[routings]]" in text
    assert "[[lines]]" not in text and "[range]" not in text
    loaded = load_scenario(out)
    assert loaded == (original if isinstance(original, Network) else to_network(original))
    for seed in (1, 2):
        a, b = simulate(loaded, seed), simulate(original, seed)
        assert a.kpis == b.kpis
        assert a.events().equals(b.events())


def test_validate_and_run_accept_the_converted_file(tmp_path: Path, small_toml: str) -> None:
    source = tmp_path / "small.toml"
    source.write_text(small_toml, encoding="utf-8")
    out = converted(tmp_path, str(source))
    assert invoke("validate", str(out)).exit_code == 0
    runs = [invoke("run", str(p), "--seed", "4", "--json") for p in (source, out)]
    assert all(r.exit_code == 0 for r in runs), [r.output for r in runs]
    kpis = [json.loads(r.stdout) for r in runs]
    assert kpis[0]["output"]["units_made"] > 0
    assert kpis[0] == kpis[1]


def test_without_output_it_prints_the_file(small_toml: str, tmp_path: Path) -> None:
    source = tmp_path / "small.toml"
    source.write_text(small_toml, encoding="utf-8")
    result = invoke("convert", str(source))
    assert result.exit_code == 0, result.output
    assert parse_scenario(result.stdout) == to_network(parse_scenario(small_toml))


def test_converting_a_format_2_file_keeps_its_network(tmp_path: Path) -> None:
    first = converted(tmp_path, "maracay")
    again = invoke("convert", str(first))
    assert again.exit_code == 0, again.output
    assert again.stdout == first.read_text(encoding="utf-8")


def test_a_bad_file_exits_2_naming_file_line_and_field(tmp_path: Path, small_toml: str) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(small_toml.replace("rate = 100", "rate = -1"), encoding="utf-8")
    out = tmp_path / "net.toml"
    result = invoke("convert", str(source), "-o", str(out))
    assert_clean_failure(result)
    line = small_toml.splitlines().index("rate = 100") + 1
    assert f"{source}:{line}: lines[0].rate: must be greater than 0 (got -1)" in result.stderr
    assert not out.exists()


def test_a_toml_error_in_a_format_2_file_exits_2_with_its_line(tmp_path: Path) -> None:
    text = converted(tmp_path, "maracay").read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("lot_size"))
    lines[n] = "lot_size = = 100"
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(lines), encoding="utf-8")
    for command in ("convert", "validate"):
        result = invoke(command, str(bad))
        assert_clean_failure(result)
        assert f"{bad}:{n + 1}: (top level): not valid TOML" in result.stderr


def test_a_crew_nobody_uses_validates_with_a_warning(tmp_path: Path) -> None:
    text = converted(tmp_path, "maracay").read_text(encoding="utf-8")
    net = tmp_path / "crew.toml"
    net.write_text(text + '\n[[crews]]\nid = "fitters"\ncount = 1\n', encoding="utf-8")
    assert invoke("convert", str(net)).exit_code == 0
    result = invoke("validate", str(net))
    assert result.exit_code == 0, result.output
    assert "crews[0].id: warning: no station uses this crew (got 'fitters')" in result.stderr


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("out.txt", "name a .toml file"),
        ("missing/out.toml", "there is no folder"),
        ("folder.toml", "is a folder"),
    ],
)
def test_a_bad_output_path_exits_2(tmp_path: Path, target: str, message: str) -> None:
    (tmp_path / "folder.toml").mkdir()
    result = invoke("convert", "maracay", "-o", str(tmp_path / target))
    assert_clean_failure(result)
    assert message in result.stderr


def test_an_existing_output_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "net.toml"
    out.write_text("keep me", encoding="utf-8")
    result = invoke("convert", "maracay", "-o", str(out))
    assert_clean_failure(result)
    assert "exists; use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert invoke("convert", "maracay", "-o", str(out), "--force").exit_code == 0
    assert load_scenario(out) == to_network(load_scenario("maracay"))


def test_the_schema_covers_both_formats() -> None:
    one, two = (json.loads(invoke("schema", *args).stdout) for args in ([], ["--format", "2"]))
    assert "lines" in one["properties"] and "stations" not in one["properties"]
    assert two["properties"]["format"]["const"] == 2
    assert {"stations", "buffers", "routings", "bom", "crews"} <= two["properties"].keys()
    assert "format" in two["required"] and "lines" not in two["properties"]
    assert_clean_failure(invoke("schema", "--format", "3"))


def test_convert_imports_no_heavy_library(tmp_path: Path) -> None:
    modules, _ = modules_after(tmp_path, "convert", "maracay", "-o", str(tmp_path / "net.toml"))
    assert loaded(modules, [*HEAVY, "plantwin.sim"]) == []
