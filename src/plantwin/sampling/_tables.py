"""Standard tables: sample size code letters (Table I) and single sampling plans (Tables II).

The numbers come only from the verified ``data/mil_std_105e.json`` shipped with the package; no
table value is typed in code. Arrows are already resolved in the data.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, NamedTuple

__all__ = [
    "AQL_VALUES",
    "INSPECTIONS",
    "LEVELS",
    "SCHEMES",
    "Inspection",
    "SamplingError",
    "SamplingPlan",
    "Scheme",
    "code_letter",
    "normalize_aql",
    "plan",
]

Inspection = Literal["normal", "tightened", "reduced"]
Scheme = Literal["iso2859-1", "mil-std-105e"]

INSPECTIONS: Final[tuple[Inspection, ...]] = ("normal", "tightened", "reduced")
SCHEMES: Final[tuple[Scheme, ...]] = ("iso2859-1", "mil-std-105e")

# Which table of the data file holds each (scheme, inspection); see switching_rules.md section 6.
_TABLE_KEYS: Final[dict[tuple[str, str], str]] = {
    ("iso2859-1", "normal"): "single_normal",
    ("iso2859-1", "tightened"): "single_tightened",
    ("iso2859-1", "reduced"): "single_reduced_iso2859_1999",
    ("mil-std-105e", "normal"): "single_normal",
    ("mil-std-105e", "tightened"): "single_tightened",
    ("mil-std-105e", "reduced"): "single_reduced",
}


class SamplingError(ValueError):
    """A value the sampling standard (or a sampling function) does not accept.

    The message names the bad value and lists what is allowed, so shells can show it as is.
    """


class _Cell(NamedTuple):
    """One arrow-resolved cell of a Table II: sample size, acceptance and rejection numbers."""

    n: int
    ac: int
    re: int


class _LotRange(NamedTuple):
    lot_min: int
    lot_max: int | None
    letters: dict[str, str]


class _Tables(NamedTuple):
    aql_values: tuple[str, ...]
    levels: tuple[str, ...]
    ranges: tuple[_LotRange, ...]
    plans: dict[str, dict[str, dict[str, _Cell]]]


@cache
def _tables() -> _Tables:
    """Load and index the JSON tables once (package data, read with importlib.resources)."""
    path = resources.files("plantwin.sampling").joinpath("data/mil_std_105e.json")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    levels = tuple(str(level) for level in raw["code_letters"]["levels"])
    ranges = tuple(
        _LotRange(
            int(row["lot_min"]),
            None if row["lot_max"] is None else int(row["lot_max"]),
            {level: str(row[level]) for level in levels},
        )
        for row in raw["code_letters"]["ranges"]
    )
    plans = {
        key: {
            letter: {
                aql: _Cell(int(cell["n"]), int(cell["ac"]), int(cell["re"]))
                for aql, cell in row.items()
            }
            for letter, row in raw[key]["plans"].items()
        }
        for key in sorted(set(_TABLE_KEYS.values()))
    }
    return _Tables(tuple(str(a) for a in raw["aql_values"]), levels, ranges, plans)


AQL_VALUES: Final[tuple[str, ...]] = _tables().aql_values
"""AQLs of the standard, as printed (percent nonconforming or nonconformities per 100 units)."""

LEVELS: Final[tuple[str, ...]] = _tables().levels
"""Inspection levels of Table I: special S-1..S-4 and general I, II (the default), III."""


def _allowed(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def normalize_aql(aql: float | str) -> str:
    """Return the standard's AQL key ("0.65", "1.0", "10") for a number or numeric string.

    0.65, "0.65", 1, "1" and "1.0" all name the same column; a value not in the standard raises
    :class:`SamplingError` listing the allowed values.
    """
    if isinstance(aql, bool) or not isinstance(aql, int | float | str):
        raise SamplingError(f"AQL {aql!r} is not a number; {_allowed_aql()}")
    try:
        value = float(aql)
    except ValueError:
        raise SamplingError(f"AQL {aql!r} is not a number; {_allowed_aql()}") from None
    # every replication's set-up asks: the exact values first, without a pass over the column
    key = _AQL_BY_VALUE.get(value)
    if key is not None:
        return key
    for key in AQL_VALUES:
        if math.isclose(value, float(key), rel_tol=1e-9):
            return key
    raise SamplingError(f"AQL {aql!r} is not in the standard; {_allowed_aql()}")


_AQL_BY_VALUE: Final[dict[float, str]] = {float(key): key for key in AQL_VALUES}


def _allowed_aql() -> str:
    return f"allowed AQL values (percent): {_allowed(AQL_VALUES)}"


def _normalize_level(level: str) -> str:
    key = level.strip().upper() if isinstance(level, str) else level
    if key not in LEVELS:
        raise SamplingError(
            f"inspection level {level!r} is not in the standard; allowed levels: {_allowed(LEVELS)}"
        )
    return str(key)


def _normalize_lot_size(lot_size: int) -> int:
    minimum = _tables().ranges[0].lot_min
    try:
        if isinstance(lot_size, bool):
            raise TypeError
        size = operator.index(lot_size)
    except TypeError:
        raise SamplingError(
            f"lot size {lot_size!r} is not a whole number; allowed: integers >= {minimum}"
        ) from None
    if size < minimum:
        raise SamplingError(
            f"lot size {size} is out of range; allowed: integers >= {minimum} (Table I)"
        )
    return size


def _normalize_inspection(inspection: str) -> Inspection:
    for value in INSPECTIONS:
        if inspection == value:
            return value
    raise SamplingError(
        f"inspection {inspection!r} is not in the standard; "
        f"allowed inspections: {_allowed(INSPECTIONS)}"
    )


def _normalize_scheme(scheme: str) -> Scheme:
    for value in SCHEMES:
        if scheme == value:
            return value
    raise SamplingError(f"scheme {scheme!r} is unknown; allowed schemes: {_allowed(SCHEMES)}")


def code_letter(lot_size: int, level: str = "II") -> str:
    """Return the sample size code letter of Table I for a lot size and inspection level."""
    size = _normalize_lot_size(lot_size)
    key = _normalize_level(level)
    for row in _tables().ranges:
        if row.lot_min <= size and (row.lot_max is None or size <= row.lot_max):
            return row.letters[key]
    raise AssertionError(f"Table I has no row for lot size {size}")  # pragma: no cover


def _cell(scheme: Scheme, inspection: Inspection, letter: str, aql_key: str) -> _Cell:
    """Return the table cell for a code letter and AQL key (both already validated)."""
    return _tables().plans[_TABLE_KEYS[scheme, inspection]][letter][aql_key]


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    """A single sampling plan for one lot: draw ``n`` items, accept iff d <= ``ac``.

    ``re`` is the rejection number: the lot is not accepted iff d >= ``re``. In the MIL-STD-105E
    reduced table ``re`` may exceed ``ac + 1``; a count in between accepts the lot but reinstates
    normal inspection (the switching rules handle that). ``hundred_percent`` is true when the
    table's sample size reached the lot size, so every item is inspected and ``n == lot_size``.
    """

    lot_size: int
    aql: str
    level: str
    inspection: Inspection
    scheme: Scheme
    code_letter: str
    n: int
    ac: int
    re: int
    hundred_percent: bool

    def accepts(self, d: int) -> bool:
        """Whether a sample with ``d`` nonconforming items accepts the lot (d < Re)."""
        return d < self.re


def plan(
    lot_size: int,
    aql: float | str,
    level: str = "II",
    inspection: str = "normal",
    scheme: str = "iso2859-1",
) -> SamplingPlan:
    """Return the single sampling plan for a lot, following the standard's tables.

    ``scheme`` picks the reduced table: "iso2859-1" uses ISO 2859-1:1999 Table 2-C (Re = Ac+1),
    "mil-std-105e" uses MIL-STD-105E Table II-C (with an Ac/Re gap); normal and tightened tables
    are the same in both. 100 % rule (footnote to Tables II): if the table's sample size is at
    least the lot size, every item is inspected, so ``n = lot_size`` (Ac and Re unchanged).
    """
    size = _normalize_lot_size(lot_size)
    level_key = _normalize_level(level)
    aql_key = normalize_aql(aql)
    inspection_key = _normalize_inspection(inspection)
    scheme_key = _normalize_scheme(scheme)
    letter = code_letter(size, level_key)
    cell = _cell(scheme_key, inspection_key, letter, aql_key)
    return SamplingPlan(
        lot_size=size,
        aql=aql_key,
        level=level_key,
        inspection=inspection_key,
        scheme=scheme_key,
        code_letter=letter,
        n=min(cell.n, size),
        ac=cell.ac,
        re=cell.re,
        hundred_percent=cell.n >= size,
    )
