"""Code letters and plan lookup, checked against the data file read independently with json."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import plantwin.sampling as sampling
from plantwin.sampling import (
    AQL_VALUES,
    INSPECTIONS,
    LEVELS,
    SCHEMES,
    SamplingError,
    code_letter,
    normalize_aql,
    plan,
)

DATA = Path(__file__).resolve().parents[2] / "src/plantwin/sampling/data/mil_std_105e.json"
TABLE_KEY = {
    ("iso2859-1", "normal"): "single_normal",
    ("iso2859-1", "tightened"): "single_tightened",
    ("iso2859-1", "reduced"): "single_reduced_iso2859_1999",
    ("mil-std-105e", "normal"): "single_normal",
    ("mil-std-105e", "tightened"): "single_tightened",
    ("mil-std-105e", "reduced"): "single_reduced",
}


@cache
def data() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return result


def letter_from_data(lot: int, level: str) -> str:
    for row in data()["code_letters"]["ranges"]:
        if row["lot_min"] <= lot and (row["lot_max"] is None or lot <= row["lot_max"]):
            return str(row[level])
    raise AssertionError(lot)


def cell(scheme: str, inspection: str, letter: str, aql: str) -> dict[str, int]:
    result: dict[str, int] = data()[TABLE_KEY[scheme, inspection]]["plans"][letter][aql]
    return result


def test_public_names_match_all() -> None:
    expected = {
        "AQL_VALUES",
        "INSPECTIONS",
        "LEVELS",
        "MODELS",
        "SCHEMES",
        "AOQLResult",
        "Inspection",
        "InspectionState",
        "Model",
        "OCCurve",
        "PlanDesign",
        "SamplingError",
        "SamplingPlan",
        "Scheme",
        "SwitchingRules",
        "Transition",
        "aoq",
        "aoql",
        "ati",
        "code_letter",
        "consumers_risk",
        "design_plan",
        "normalize_aql",
        "oc_curve",
        "p_accept",
        "p_at_pa",
        "plan",
        "producers_risk",
    }
    assert set(sampling.__all__) == expected
    assert len(sampling.__all__) == len(expected)
    for name in expected:
        assert getattr(sampling, name) is not None


def test_constants_come_from_the_data() -> None:
    assert list(AQL_VALUES) == data()["aql_values"]
    assert list(LEVELS) == data()["code_letters"]["levels"]
    assert INSPECTIONS == ("normal", "tightened", "reduced")
    assert SCHEMES == ("iso2859-1", "mil-std-105e")
    assert issubclass(SamplingError, ValueError)


def test_readme_example_reference_plant() -> None:
    assert code_letter(100_000) == "N"
    normal = plan(100_000, 0.65)
    assert (normal.code_letter, normal.n, normal.ac, normal.re) == ("N", 500, 7, 8)
    assert (normal.aql, normal.inspection, normal.level) == ("0.65", "normal", "II")
    tightened = plan(100_000, "0.65", inspection="tightened")
    assert (tightened.n, tightened.ac, tightened.re) == (500, 5, 6)
    mil = plan(100_000, 0.65, inspection="reduced", scheme="mil-std-105e")
    assert (mil.n, mil.ac, mil.re) == (200, 3, 6)
    iso = plan(100_000, 0.65, inspection="reduced", scheme="iso2859-1")
    assert (iso.n, iso.ac, iso.re) == (200, 5, 6)
    assert not normal.hundred_percent


def _boundary_cases() -> list[tuple[int, str, str]]:
    cases = []
    for row in data()["code_letters"]["ranges"]:
        lots = [row["lot_min"]] + ([row["lot_max"]] if row["lot_max"] is not None else [])
        for lot in lots:
            for level in data()["code_letters"]["levels"]:
                cases.append((lot, level, row[level]))
    return cases


@pytest.mark.parametrize(("lot", "level", "expected"), _boundary_cases())
def test_code_letter_at_range_edges(lot: int, level: str, expected: str) -> None:
    assert code_letter(lot, level) == expected


def test_code_letter_changes_exactly_at_lot_min() -> None:
    ranges = data()["code_letters"]["ranges"]
    for previous, row in itertools.pairwise(ranges):
        assert previous["lot_max"] == row["lot_min"] - 1
        assert code_letter(row["lot_min"] - 1, "III") == previous["III"]
        assert code_letter(row["lot_min"], "III") == row["III"]
    assert code_letter(10**9, "II") == ranges[-1]["II"]


def test_level_is_case_insensitive() -> None:
    assert code_letter(1000, "s-2") == code_letter(1000, "S-2")
    assert code_letter(1000, "ii") == code_letter(1000)


@pytest.mark.parametrize(
    ("given", "key"),
    [
        (0.65, "0.65"),
        ("0.65", "0.65"),
        (1, "1.0"),
        ("1", "1.0"),
        ("1.0", "1.0"),
        (1.0, "1.0"),
        (0.01, "0.010"),
        ("0.010", "0.010"),
        (0.1, "0.10"),
        (10, "10"),
        ("10.0", "10"),
        (4, "4.0"),
        (1000, "1000"),
        (0.65 * (1 + 1e-12), "0.65"),  # within the tolerance, not equal
        ("6.4999999999", "6.5"),
    ],
)
def test_aql_forms_map_to_the_standard_key(given: float | str, key: str) -> None:
    assert normalize_aql(given) == key
    assert plan(5000, given).aql == key


def _lot_for(letter: str) -> tuple[int, str]:
    """A lot size and level whose Table I letter is ``letter`` (the largest such lot)."""
    for level in ("II", "III"):
        for row in reversed(data()["code_letters"]["ranges"]):
            if row[level] == letter:
                lot = row["lot_max"] if row["lot_max"] is not None else 10 * row["lot_min"]
                return int(lot), level
    raise AssertionError(letter)


@pytest.mark.parametrize("letter", list("ABCDEFGHJKLMNPQR"))
@pytest.mark.parametrize("scheme", ["iso2859-1", "mil-std-105e"])
@pytest.mark.parametrize("inspection", ["normal", "tightened", "reduced"])
def test_every_cell_of_a_letter(letter: str, scheme: str, inspection: str) -> None:
    lot, level = _lot_for(letter)
    assert letter_from_data(lot, level) == letter
    for aql in data()["aql_values"]:
        expected = cell(scheme, inspection, letter, aql)
        got = plan(lot, aql, level, inspection, scheme)
        assert got.code_letter == letter
        assert got.n == min(expected["n"], lot)
        assert (got.ac, got.re) == (expected["ac"], expected["re"])
        assert got.hundred_percent == (expected["n"] >= lot)
        assert (got.inspection, got.scheme, got.aql, got.lot_size) == (
            inspection,
            scheme,
            aql,
            lot,
        )


@pytest.mark.parametrize(
    ("lot", "level", "aql", "inspection", "scheme"),
    [
        (2, "S-1", "0.010", "normal", "iso2859-1"),
        (60, "I", "2.5", "tightened", "mil-std-105e"),
        (300, "S-4", "6.5", "reduced", "mil-std-105e"),
        (300, "S-4", "6.5", "reduced", "iso2859-1"),
        (1200, "II", "1.0", "reduced", "mil-std-105e"),
        (1201, "II", "1.0", "reduced", "mil-std-105e"),
        (5000, "III", "0.025", "tightened", "iso2859-1"),
        (40_000, "S-3", "40", "reduced", "iso2859-1"),
        (250_000, "I", "0.15", "normal", "mil-std-105e"),
        (600_000, "III", "0.025", "tightened", "mil-std-105e"),
        (600_000, "III", "0.015", "reduced", "mil-std-105e"),
        (8, "II", "10", "tightened", "iso2859-1"),
    ],
)
def test_spread_of_cells(lot: int, level: str, aql: str, inspection: str, scheme: str) -> None:
    letter = letter_from_data(lot, level)
    expected = cell(scheme, inspection, letter, aql)
    got = plan(lot, float(aql), level=level, inspection=inspection, scheme=scheme)
    assert (got.code_letter, got.n, got.ac, got.re) == (
        letter,
        min(expected["n"], lot),
        expected["ac"],
        expected["re"],
    )


def test_hundred_percent_rule() -> None:
    letter = letter_from_data(5, "II")
    table_n = cell("iso2859-1", "normal", letter, "0.65")["n"]
    assert table_n >= 5  # the premise of this test
    got = plan(5, 0.65)
    assert got.hundred_percent
    assert got.n == 5


def test_plan_accepts_is_d_below_re() -> None:
    mil = plan(100_000, 0.65, inspection="reduced", scheme="mil-std-105e")
    assert [mil.accepts(d) for d in range(8)] == [d < mil.re for d in range(8)]


def _assert_lists_all(message: str, bad: str, allowed: tuple[str, ...]) -> None:
    assert bad in message
    for value in allowed:
        assert value in message


def test_bad_aql_names_value_and_lists_allowed() -> None:
    with pytest.raises(SamplingError) as info:
        plan(100, 0.7)
    _assert_lists_all(str(info.value), "0.7", AQL_VALUES)
    with pytest.raises(SamplingError, match="abc"):
        plan(100, "abc")


def test_bad_level_names_value_and_lists_allowed() -> None:
    with pytest.raises(SamplingError) as info:
        plan(100, 0.65, level="IV")
    _assert_lists_all(str(info.value), "IV", LEVELS)
    with pytest.raises(SamplingError, match="IV"):
        code_letter(100, "IV")


@pytest.mark.parametrize("lot", [0, 1, -5])
def test_bad_lot_size(lot: int) -> None:
    with pytest.raises(SamplingError) as info:
        plan(lot, 0.65)
    assert str(lot) in str(info.value)
    assert ">= 2" in str(info.value)


def test_non_integer_lot_size() -> None:
    with pytest.raises(SamplingError, match="whole number"):
        code_letter(2.5)  # type: ignore[arg-type]


def test_bad_inspection_and_scheme() -> None:
    with pytest.raises(SamplingError) as info:
        plan(100, 0.65, inspection="loose")
    _assert_lists_all(str(info.value), "loose", INSPECTIONS)
    with pytest.raises(SamplingError) as info:
        plan(100, 0.65, scheme="ansi")
    _assert_lists_all(str(info.value), "ansi", SCHEMES)
