"""Bad build-project settings get clear errors naming the field, the value and what is allowed."""

from __future__ import annotations

import pytest

from plantwin.scenario import ScenarioError, parse_scenario

BASE = """
[plant]
start = 2025-01-01
horizon = "30d"

[[products]]
id = "a"
{suppliers}
[[lines]]
id = "L1"
products = ["a"]
rate = 10
lot_size = 100

[lines.project]
delivery = 2025-01-10
installation = {{ dist = "constant", value = 10 }}
{project}
[range]
test_time = {{ dist = "constant", value = 1 }}
sampling = {{ plan = {{ n = 5, ac = 0, re = 1 }} }}

[buffer]
lots = 2
{grid}"""


def _error(suppliers: str = "", project: str = "", grid: str = "") -> str:
    text = BASE.format(suppliers=suppliers, project=project, grid=grid)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "build.toml")
    assert len(info.value.problems) == 1, str(info.value)
    return str(info.value)


def test_valid_base() -> None:
    s = parse_scenario(BASE.format(suppliers="", project="", grid=""))
    assert s.lines[0].project is not None


def test_ramp_start_above_one() -> None:
    msg = _error(project="ramp_up = { start = 1.5, duration = 100 }")
    assert "lines[0].project.ramp_up.start" in msg
    assert "less than or equal to 1" in msg and "1.5" in msg
    text = BASE.format(suppliers="", project="ramp_up = { start = 1.5, duration = 100 }", grid="")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("ramp_up"))
    assert msg.startswith(f"build.toml:{line}:")


def test_negative_delay() -> None:
    msg = _error(project='delivery_delay = { dist = "constant", value = -5 }')
    assert "lines[0].project.delivery_delay.value" in msg
    assert "greater than or equal to 0" in msg and "-5" in msg


def test_unknown_supplier() -> None:
    sup = '[[suppliers]]\nid = "acme"\n'
    msg = _error(suppliers=sup, project='supplier = "acne"')
    assert "lines[0].project.supplier" in msg
    assert "'acne'" in msg and "known: acme" in msg


def test_blockable_supplier_needs_a_resourcing_time() -> None:
    msg = _error(suppliers='[[suppliers]]\nid = "acme"\nblock_probability = 0.5\n')
    assert "suppliers[0]" in msg and "resource_time" in msg


def test_block_probability_above_one() -> None:
    msg = _error(
        suppliers='[[suppliers]]\nid = "acme"\nblock_probability = 2\n'
        'resource_time = { dist = "constant", value = 10 }\n'
    )
    assert "suppliers[0].block_probability" in msg and "less than or equal to 1" in msg


def test_backup_for_an_unknown_line() -> None:
    msg = _error(grid='\n[grid.backup]\nlines = ["L1", "L9"]\n')
    assert "grid.backup.lines[1]" in msg and "'L9'" in msg and "known: L1" in msg


def test_unknown_ramp_shape() -> None:
    msg = _error(project='ramp_up = { start = 0.5, duration = 10, shape = "s-curve" }')
    assert "ramp_up.shape" in msg and "'linear' or 'learning'" in msg
