"""Every built-in scenario validates and runs from the command line, and `assembly` is what
the issue that added it asks for: a generic network of every station role with a crew smaller
than the stations it repairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.scenario import Network, builtin, builtin_names, builtin_text


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_validates_and_runs(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("validate", name).exit_code == 0
    result = invoke("run", name, "--horizon", "60d", "--no-save")
    assert result.exit_code == 0, result.output
    assert "conservation holds" in result.stdout


def test_the_assembly_plant_has_every_role_a_kit_and_a_shared_crew() -> None:
    net = builtin("assembly")
    assert isinstance(net, Network)
    roles = {s.role for s in net.stations}
    assert roles == {"produce", "process", "assemble", "test"}
    assert len(net.stations_of("assemble")) >= 2  # a subassembly and the final assembly
    assert any(c.units > 1 for part in net.bom for c in part.components)  # a ratio
    repaired = [s for s in net.stations if s.failures is not None]
    assert all(s.crew is not None for s in repaired)
    assert sum(c.count for c in net.crews) < len(repaired)
    assert net.storage.capacity is not None and net.demand.recurring
    assert any(b.units is not None for b in net.buffers)
    assert any(b.lots is not None for b in net.buffers)


def test_the_assembly_plant_labels_its_values_as_assumptions() -> None:
    """Every table of stations, buffers, bills and crews, and the plant's numbers, carry the
    word ASSUMPTION near them; no real product's words."""
    text = builtin_text("assembly")
    assert text.count("ASSUMPTION") >= 15
    lowered = text.lower()
    for word in ("cartridge", "rifle", "ammunition", "maracay", "powder", "primer"):
        assert word not in lowered


def test_a_network_takes_set_and_sweep_at_its_own_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--set writes the whole scenario back, defaults of its test station included: they are
    no feature the engine lacks. A faster final assembly makes more."""
    monkeypatch.chdir(tmp_path)
    base = invoke("run", "assembly", "--horizon", "30d", "--no-save", "--json")
    faster = invoke(
        "run", "assembly", "--horizon", "30d", "--no-save", "--json",
        "--set", "stations[6].rate=80",
    )  # fmt: skip
    assert base.exit_code == 0 and faster.exit_code == 0, faster.output
    made = [json.loads(r.stdout)["lines"]["final-asm"]["units_made"] for r in (base, faster)]
    assert made[1] > made[0]
    swept = invoke(
        "experiment", "assembly", "--reps", "2", "--horizon", "30d", "--workers", "1",
        "--no-save", "--sweep", "buffers[1].lots=5,20",
    )  # fmt: skip
    assert swept.exit_code == 0, swept.output
