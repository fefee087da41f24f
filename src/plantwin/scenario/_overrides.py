"""Overrides of scenario fields by path, as ``--set grid.cuts.between.mean=120`` gives them.

A path is dotted field names; list items are picked by index (``lines[2].rate``) or by id
(``lines.L3.rate``), or all at once with ``*`` (``lines.*.performance``). Values are TOML literals
(``120``, ``true``, ``"x"``, ``{dist = "constant", value = 4}``); anything else is a string.
The result is validated like a scenario file, so a bad value gets the same clear message.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
from typing import TYPE_CHECKING, Any

from plantwin.scenario._load import Problem, ScenarioError, field_paths, validate_data
from plantwin.scenario._models import Scenario

if TYPE_CHECKING:
    from plantwin.scenario._network import Network

__all__ = ["Override", "apply_overrides", "parse_override", "parse_value", "scenario_paths"]

Override = tuple[str, Any]
_PART = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")


def parse_value(text: str) -> Any:
    """A TOML literal, or the text itself when it is not one (``mil-std-105e``)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_override(expr: str) -> Override:
    """``path=value`` as (path, value); raises ValueError when there is no ``=``."""
    path, sep, value = expr.partition("=")
    if not sep or not path.strip():
        raise ValueError(f"{expr!r} is not PATH=VALUE (for example grid.cuts.between.mean=120)")
    return path.strip(), parse_value(value.strip())


def _split(path: str) -> list[str]:
    parts = []
    for m in _PART.finditer(path):
        parts.append(m.group(1) if m.group(1) is not None else f"[{m.group(2)}]")
    return parts


def scenario_paths(data: dict[str, Any], prefix: str = "") -> list[str]:
    """Every dotted path present in scenario data (list items by id where they have one)."""
    out: list[str] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        out.append(path)
        if isinstance(value, dict):
            out += scenario_paths(value, f"{path}.")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    name = item.get("id", f"[{i}]")
                    out += scenario_paths(
                        item, f"{path}.{name}." if "id" in item else f"{path}[{i}]."
                    )
    return out


def _closest(path: str, known: list[str]) -> str:
    """Hint at the nearest paths, preferring those the scenario has over the schema's."""
    close = difflib.get_close_matches(path, known, n=4, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(path, field_paths(), n=4, cutoff=0.5)
    return f"; closest valid paths: {', '.join(close)}" if close else ""


def _targets(node: Any, part: str) -> list[Any]:
    """The children of ``node`` that ``part`` names (several for ``*``)."""
    if isinstance(node, list):
        if part in ("*", "[*]"):
            return list(node)
        if part.startswith("["):
            i = int(part[1:-1])
            if i >= len(node):
                raise KeyError(f"index {i} is out of range: there are {len(node)} items")
            return [node[i]]
        hits = [x for x in node if isinstance(x, dict) and x.get("id") == part]
        if not hits:
            ids = ", ".join(str(x["id"]) for x in node if isinstance(x, dict) and "id" in x)
            raise KeyError(f"no item with id {part!r}" + (f"; ids: {ids}" if ids else ""))
        return hits
    if isinstance(node, dict) and not part.startswith("["):
        # a table not set in the file is created; validation then says whether it exists
        return [node.setdefault(part, {})]
    raise KeyError(f"{part!r} does not name a table or a list item here")


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = _split(path)
    last = parts[-1] if parts else ""
    if not last or last.startswith("[") or last == "*":
        raise KeyError("a path must end in a field name")
    nodes: list[Any] = [data]
    for part in parts[:-1]:
        nodes = [child for node in nodes for child in _targets(node, part)]
    for node in nodes:
        if not isinstance(node, dict):
            raise KeyError(f"{path!r} does not lead to a table")
        node[last] = copy.deepcopy(value)


def apply_overrides(
    scenario: Scenario | Network, overrides: list[Override], source: str = "--set"
) -> Scenario | Network:
    """A new scenario with ``overrides`` applied and validated; ScenarioError names each problem."""
    if not overrides:
        return scenario
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    known = scenario_paths(data)
    problems = []
    for path, value in overrides:
        try:
            _set(data, path, value)
        except KeyError as exc:
            problems.append(Problem((path,), f"{exc.args[0]}{_closest(path, known)}", value))
    if problems:
        raise ScenarioError(source, problems)
    try:
        return validate_data(data, source)
    except ScenarioError as exc:
        unknown = [p for p, _ in overrides if p not in known]
        hint = "".join(_closest(p, known) for p in unknown)
        raise ScenarioError(
            source, [Problem(p.path, p.message + hint, p.value) for p in exc.problems]
        ) from None
