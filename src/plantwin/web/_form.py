"""The editor's form: the common fields of a scenario's TOML, read and set in the text itself.

Values are set with tomlkit, which keeps the file's comments, order and layout; only the value
changed is rewritten. Fields are read from the TOML data, not the validated scenario, so that
the form works on a text that does not validate yet (the editor shows its problems beside it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any, Literal

import tomlkit
import tomlkit.exceptions
from pydantic import BaseModel

from plantwin.scenario import parse_value
from plantwin.service import BadInput

__all__ = ["ALIASES", "FormField", "form_fields", "set_fields"]

ALIASES = {"horizon": "plant.horizon"}
"""Short names the form may use for a field's path."""

_PART = re.compile(r"[^.\[\]]+|\[\d+\]")


class FormField(BaseModel):
    """One field of the form: its path (as ``--set`` takes it), words for it, its value in
    the text (None: not set there, the scenario's default holds), and the input it needs."""

    path: str
    label: str
    value: str | float | int | bool | None
    kind: Literal["number", "text"]


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def _mean(data: Any, *keys: str) -> Any:
    """The mean of the distribution at ``keys`` when it is given by its mean, else None."""
    dist = _get(data, *keys)
    return dist.get("mean") if isinstance(dist, Mapping) else None


def form_fields(data: Mapping[str, Any]) -> list[FormField]:
    """The common fields of a scenario (its TOML document as a dict): horizon, each line's or
    station's rate, the grid, storage, the range buffer and the recurring demand."""
    unit = _get(data, "plant", "unit") or "units"
    fields = [FormField(path="plant.horizon", label="horizon (90d, 1y)",
                        value=_get(data, "plant", "horizon"), kind="text")]  # fmt: skip

    def number(path: str, label: str, value: Any) -> None:
        ok = isinstance(value, int | float) or value is None
        fields.append(FormField(path=path, label=label, value=value if ok else None, kind="number"))

    group = "stations" if data.get("format") == 2 else "lines"
    for item in data.get(group) or []:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and "rate" in item:
            number(f"{group}.{item['id']}.rate", f"{item['id']} rate ({unit}/h)", item["rate"])
    number("grid.restart", "restart after power returns (h)", _get(data, "grid", "restart"))
    if _mean(data, "grid", "cuts", "between") is not None:
        number("grid.cuts.between.mean", "gap between power cuts, mean (h)",
               _mean(data, "grid", "cuts", "between"))  # fmt: skip
    if _mean(data, "grid", "cuts", "duration") is not None:
        number("grid.cuts.duration.mean", "power cut duration, mean (h)",
               _mean(data, "grid", "cuts", "duration"))  # fmt: skip
    if isinstance(_get(data, "grid", "standstills"), Mapping):
        number("grid.standstills.per_year", "long standstills a year",
               _get(data, "grid", "standstills", "per_year"))  # fmt: skip
    number("storage.capacity", f"storage capacity ({unit})", _get(data, "storage", "capacity"))
    if group == "lines":
        number("buffer.lots", "buffer before the range (lots)", _get(data, "buffer", "lots"))
    for i, order in enumerate(_get(data, "demand", "recurring") or []):
        if isinstance(order, Mapping):
            what = f"{order.get('product', '?')} ordered each {order.get('every', 'month')}"
            number(f"demand.recurring[{i}].quantity", f"{what} ({unit})", order.get("quantity"))
    return fields


def _child(node: Any, part: str, path: str) -> Any:
    """The table ``part`` names under ``node``: a key (created when missing), a list item by
    index (``[2]``) or by id."""
    if isinstance(node, list):
        if part.startswith("["):
            i = int(part[1:-1])
            if i >= len(node):
                raise BadInput(f"{path}: there is no item {i}: the list has {len(node)}")
            return node[i]
        for item in node:
            if isinstance(item, Mapping) and item.get("id") == part:
                return item
        raise BadInput(f"{path}: no item with id {part!r}")
    if not isinstance(node, MutableMapping) or part.startswith("["):
        raise BadInput(f"{path}: {part!r} does not name a table or a list item here")
    if part not in node:
        node[part] = tomlkit.table()
    return node[part]


def set_fields(source: str, fields: Mapping[str, Any]) -> str:
    """``source`` with each field (``PATH: value``; a string is read as a TOML literal, as
    ``--set`` reads it) set in place, comments kept. BadInput for a path that leads nowhere;
    the text that results is not validated here."""
    try:
        doc = tomlkit.parse(source)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise BadInput(f"the scenario is not valid TOML: {exc}") from None
    for key, raw in fields.items():
        path = ALIASES.get(key, key)
        parts = _PART.findall(path)
        if not parts or parts[-1].startswith("[") or "".join(parts) != path.replace(".", ""):
            raise BadInput(f"{key!r} is not a field path (for example lines.L1.rate)")
        node: Any = doc
        for part in parts[:-1]:
            node = _child(node, part, path)
        if not isinstance(node, MutableMapping):
            raise BadInput(f"{path}: does not lead to a table")
        node[parts[-1]] = parse_value(raw) if isinstance(raw, str) else raw
    return tomlkit.dumps(doc)
