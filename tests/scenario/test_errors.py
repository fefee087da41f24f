"""Bad scenarios: every problem names the file, the line, the field, the bad value and the fix."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from plantwin.sampling import AQL_VALUES
from plantwin.scenario import (
    Scenario,
    ScenarioError,
    builtin,
    builtin_names,
    format_path,
    load_scenario,
    parse_scenario,
)

SOURCE = "bad.toml"


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace the first ``count`` occurrences of ``old``, failing loudly if it is not there."""
    assert old in text, f"fixture text no longer contains {old!r}"
    return text.replace(old, new, count)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the ``occurrence``-th ``needle``."""
    found = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) >= occurrence, f"{needle!r} occurs {len(found)} times"
    return found[occurrence - 1]


def problems_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, SOURCE)
    assert info.value.source == SOURCE
    return info.value


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, where the problem is, and what its message must say."""

    make: Callable[[str, str], str]  # (small_toml, maracay_text) -> bad text
    path: str  # format_path of the problem
    needle: str  # text on the line the problem must point at
    says: tuple[str, ...]  # fragments of the message: the bad value and what is allowed
    occurrence: int = 1


ORDER = (
    '\n[[demand.orders]]\nproduct = "a"\nquantity = 10\nrelease = 2025-01-10\ndue = 2025-01-08\n'
)

CASES: dict[str, Case] = {
    "missing-rate": Case(
        lambda s, m: edit(s, "rate = 100\n", ""),
        "lines[0].rate",
        "[[lines]]",
        ("required field is missing",),
    ),
    "negative-rate": Case(
        lambda s, m: edit(s, "rate = 100", "rate = -5"),
        "lines[0].rate",
        "rate = -5",
        ("-5", "greater than 0"),
    ),
    "misspelt-distribution": Case(
        lambda s, m: edit(s, 'dist = "constant", value = 1', 'dist = "exponentail", mean = 1'),
        "range.test_time",
        "exponentail",
        ("'exponentail'", "unknown distribution", "exponential", "lognormal", "beta"),
    ),
    "unknown-product-on-line": Case(
        lambda s, m: edit(s, 'products = ["a"]', 'products = ["a", "zz"]'),
        "lines[0].products[1]",
        '"zz"',
        ("'zz'", "unknown product", "known: a"),
    ),
    "zero-lot-size": Case(
        lambda s, m: edit(s, "lot_size = 100", "lot_size = 0"),
        "lines[0].lot_size",
        "lot_size = 0",
        ("(got 0)", "greater than 0"),
    ),
    "wrong-type": Case(
        lambda s, m: edit(s, "rate = 100", 'rate = "fast"'),
        "lines[0].rate",
        '"fast"',
        ("'fast'", "number"),
    ),
    "demand-for-product-no-line-makes": Case(
        lambda s, m: (
            edit(s, "[[lines]]", '[[products]]\nid = "b"\n\n[[lines]]')
            + '\n[[demand.recurring]]\nproduct = "b"\nquantity = 10\n'
        ),
        "demand.recurring[0].product",
        'product = "b"',
        ("'b'", "no line makes", "lines make: a"),
    ),
    "performance-above-one": Case(
        lambda s, m: edit(s, "rate = 100", "rate = 100\nperformance = 1.2"),
        "lines[0].performance",
        "performance = 1.2",
        ("1.2", "less than or equal to 1"),
    ),
    "unknown-field-with-hint": Case(
        lambda s, m: edit(s, "lanes = 1", "lane = 1"),
        "range.lane",
        "lane = 1",
        ("unknown field", "did you mean 'lanes'", "test_time", "sampling"),
    ),
    "beta-cv-too-large": Case(
        lambda s, m: edit(
            s, 'id = "a"', 'id = "a"\ndefect_fraction = { dist = "beta", mean = 0.2, cv = 2.5 }'
        ),
        "products[0].defect_fraction",
        "defect_fraction",
        ("cv 2.5", "mean 0.2", f"below {math.sqrt((1 - 0.2) / 0.2):g}"),
    ),
    "initial-product-not-made": Case(
        lambda s, m: edit(m, 'initial_product = "tracer"', 'initial_product = "ball"'),
        "lines[2].initial_product",
        'initial_product = "ball"',
        ("'ball'", "L3 does not make it", "tracer, blank"),
    ),
    "aql-not-in-standard": Case(
        lambda s, m: edit(m, "aql = 0.65", "aql = 0.7"),
        "range.sampling",
        "aql = 0.7",
        ("0.7", "not in the standard", *AQL_VALUES),
    ),
    "bad-shift": Case(
        lambda s, m: edit(s, '"00:00-24:00"', '"25:00-26:00"'),
        "calendar.shifts",
        "25:00-26:00",
        ("'25:00-26:00'", "06:00-14:00"),
    ),
    "uniform-high-below-low": Case(
        lambda s, m: edit(m, "low = 168, high = 720", "low = 720, high = 168"),
        "grid.standstills.duration",
        "low = 720, high = 168",
        ("high (168", "low (720"),
    ),
    "defect-fraction-unbounded": Case(
        lambda s, m: edit(
            s, 'id = "a"', 'id = "a"\ndefect_fraction = { dist = "exponential", mean = 0.01 }'
        ),
        "products[0].defect_fraction",
        "defect_fraction",
        ("exponential", "inf", "[0, 1]", "beta"),
    ),
    "storage-smaller-than-a-lot": Case(
        lambda s, m: s + "\n[storage]\ncapacity = 50\n",
        "storage.capacity",
        "capacity = 50",
        ("50", "largest lot (100 units)"),
    ),
    "duplicate-line-ids": Case(
        lambda s, m: edit(m, 'id = "L2"', 'id = "L1"'),
        "lines[1].id",
        'id = "L1"',
        ("'L1'", "duplicate", "unique"),
        occurrence=2,
    ),
    "order-due-before-release": Case(
        lambda s, m: s + ORDER,
        "demand.orders[0]",
        "[[demand.orders]]",
        ("2025-01-08", "2025-01-10", "before"),
    ),
    "bad-horizon": Case(
        lambda s, m: edit(s, 'horizon = "7d"', 'horizon = "3x"'),
        "plant.horizon",
        'horizon = "3x"',
        ("'3x'", "h, d, w, mo, y"),
    ),
    "unknown-workday": Case(
        lambda s, m: edit(s, '"sun"]', '"sunday"]'),
        "calendar.workdays[6]",
        '"sunday"',
        ("'sunday'", "'mon'", "'sun'"),
    ),
    "negative-restart": Case(
        lambda s, m: s + "\n[grid]\nrestart = -1\n",
        "grid.restart",
        "restart = -1",
        ("-1", "greater than or equal to 0"),
    ),
    "fixed-plan-re-not-above-ac": Case(
        lambda s, m: edit(
            s, "plan = { n = 5, ac = 0, re = 1 }", "plan = { n = 5, ac = 2, re = 2 }"
        ),
        "range.sampling.plan",
        "plan = {",
        ("re (2)", "ac (2)", "greater"),
    ),
    "sample-not-smaller-than-lot": Case(
        lambda s, m: edit(s, "plan = { n = 5,", "plan = { n = 100,"),
        "range.sampling.plan.n",
        "plan = { n = 100,",
        ("100", "smaller than every lot", "smallest lot is 100"),
    ),
    "bad-id": Case(
        lambda s, m: edit(s, 'id = "L1"', 'id = "L 1"'),
        "lines[0].id",
        'id = "L 1"',
        ("'L 1'", "must be an id", "letters, digits"),
    ),
    "beta-with-both-forms": Case(
        lambda s, m: edit(
            m,
            '{ dist = "beta", mean = 0.003, cv = 1.0 }',
            '{ dist = "beta", mean = 0.3, a = 1, b = 3 }',
        ),
        "products[0].defect_fraction",
        "mean = 0.3, a = 1",
        ("either mean and cv, or a and b",),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_problem_is_placed_and_explained(name: str, small_toml: str, maracay_text: str) -> None:
    case = CASES[name]
    text = case.make(small_toml, maracay_text)
    error = problems_of(text)
    matching = [p for p in error.problems if format_path(p.path) == case.path]
    assert len(matching) == 1, str(error)
    assert len(error.problems) == 1, str(error)
    problem = matching[0]
    line = line_of(text, case.needle, case.occurrence)
    assert problem.line == line
    shown = str(error)
    assert shown.startswith(f"{SOURCE}:{line}: {case.path}: "), shown
    assert "\n" not in shown
    for fragment in case.says:
        assert fragment in shown, f"{fragment!r} not in {shown!r}"


@pytest.mark.parametrize("depth", [40, 400, 5_000])
def test_values_nested_too_deep_are_refused_not_a_traceback(small_toml: str, depth: int) -> None:
    """Far beyond any scenario's few levels: the parser's recursion (400 and more) or the
    validators' would give way; 40 is refused by the depth check, at its field's line."""
    text = edit(small_toml, 'name = "small test plant"', f"name = {'[' * depth}1{']' * depth}")
    error = problems_of(text)
    (problem,) = error.problems
    assert "nested more than 32 levels deep" in problem.message
    if depth == 40:
        assert problem.line == line_of(text, "name = [[[")
        assert problem.path == ("plant", "name")


def test_malformed_toml_gives_the_line_from_the_parser(small_toml: str) -> None:
    text = edit(small_toml, "lanes = 1", "lanes = = 1")
    error = problems_of(text)
    assert len(error.problems) == 1
    (problem,) = error.problems
    assert problem.path == ()
    line = line_of(text, "lanes = = 1")
    assert problem.line == line
    assert str(error).startswith(f"{SOURCE}:{line}: (top level): not valid TOML")
    assert "at line" not in str(error)  # the position is given once, in front


def test_three_problems_are_all_reported(small_toml: str) -> None:
    text = edit(small_toml, "rate = 100", "rate = -5")
    text = edit(text, "lot_size = 100", "lot_size = 0")
    text = edit(text, "lanes = 1", "lanes = 0")
    error = problems_of(text)
    assert sorted(format_path(p.path) for p in error.problems) == [
        "lines[0].lot_size",
        "lines[0].rate",
        "range.lanes",
    ]
    messages = str(error).splitlines()
    assert len(messages) == 3
    expected_lines = {line_of(text, n) for n in ("rate = -5", "lot_size = 0", "lanes = 0")}
    assert {int(m.split(":")[1]) for m in messages} == expected_lines
    assert all(m.startswith(f"{SOURCE}:") for m in messages)


def test_cross_reference_problems_are_all_reported(small_toml: str) -> None:
    text = edit(small_toml, 'products = ["a"]', 'products = ["a", "x", "y"]')
    text += "\n[storage]\ncapacity = 1\n"
    error = problems_of(text)
    assert [format_path(p.path) for p in error.problems] == [
        "lines[0].products[1]",
        "lines[0].products[2]",
        "storage.capacity",
    ]


def test_error_is_a_value_error(small_toml: str) -> None:
    with pytest.raises(ValueError, match="lines\\[0\\]\\.rate"):
        parse_scenario(edit(small_toml, "rate = 100", "rate = 0"), SOURCE)


def test_missing_file_names_the_path_and_the_builtins(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "plant.toml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    text = str(info.value)
    assert str(missing) in text
    assert info.value.source == str(missing)
    assert builtin_names()
    for name in builtin_names():
        assert name in text


def test_load_scenario_reads_a_file(tmp_path: Path, small_toml: str) -> None:
    path = tmp_path / "small.toml"
    path.write_text(small_toml, encoding="utf-8")
    s = load_scenario(path)
    assert [line.id for line in s.lines] == ["L1"]
    bad = tmp_path / "bad.toml"
    bad.write_text(edit(small_toml, "rate = 100", "rate = -1"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(bad)
    line = line_of(bad.read_text(encoding="utf-8"), "rate = -1")
    assert str(info.value).startswith(f"{bad}:{line}: lines[0].rate: ")


def test_load_scenario_by_builtin_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no file called "maracay" here
    s = load_scenario("maracay")
    assert isinstance(s, Scenario)
    assert s == builtin("maracay")
    assert s.plant.nameplate == 70_000_000


def test_order_with_offset_datetime_is_a_scenario_error(small_toml: str) -> None:
    text = small_toml + (
        '\n[[demand.orders]]\nproduct = "a"\nquantity = 10\n'
        "release = 2025-01-07T00:00:00Z\ndue = 2025-01-08\n"
    )
    # A clear message is a fix; so is accepting the order. A TypeError is not.
    with contextlib.suppress(ScenarioError):
        parse_scenario(text, SOURCE)


def test_problem_in_a_subtable_of_an_array_table_points_at_its_line(small_toml: str) -> None:
    text = edit(
        small_toml,
        "lot_size = 100\n",
        "lot_size = 100\n\n[lines.failures]\n"
        'between = { dist = "exponential", mean = -1 }\n'
        'repair = { dist = "constant", value = 1 }\n',
    )
    error = problems_of(text)
    (problem,) = error.problems
    assert format_path(problem.path) == "lines[0].failures.between.mean"
    assert problem.line == line_of(text, "between = ")
