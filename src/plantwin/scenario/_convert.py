"""Between the formats: a format 1 scenario as its network (what the engine runs), a network
as a format 2 file, and what of a network the engine does not run yet.

Format 1's plant is one network shape (DESIGN.md "Default network of a format 1 file"): every
line a produce station in stage 1, the range a test station reading the buffer (in lots), then
storage, one routing for every product made. The engine runs networks; the few features it does
not run yet get one problem each, so whatever validates runs.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from plantwin.scenario._base import STORED
from plantwin.scenario._models import Scenario
from plantwin.scenario._network import Network
from plantwin.scenario._references import Reference
from plantwin.scenario._toml import dumps

__all__ = [
    "model_data",
    "network_data",
    "network_toml",
    "not_run_yet",
    "scenario_schema",
    "to_network",
]

Path_ = tuple[str | int, ...]

# fields of a format 1 line and of its range, as station fields
_RANGE = ("lanes", "test_time", "sampling")
_NOT_YET = "not run by this version's engine yet"


def model_data(value: Any) -> Any:
    """A model as plain data: the fields it was given (by alias), nothing that is None.

    Distributions keep their ``dist`` tag even when it was left to its default, so the data
    validates back to the same model."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        keep = value.model_fields_set | ({"dist"} & fields.keys())
        return {
            info.alias or name: model_data(getattr(value, name))
            for name, info in fields.items()
            if name in keep and getattr(value, name) is not None
        }
    if isinstance(value, list | tuple):
        return [model_data(v) for v in value]
    return value


def _free(name: str, taken: set[str]) -> str:
    out, n = name, 1
    while out in taken:
        n += 1
        out = f"{name}-{n}"
    return out


def network_data(s: Scenario) -> dict[str, Any]:
    """A format 1 scenario's network as format 2 data (what ``plantwin convert`` writes)."""
    d = model_data(s)
    line_ids = [line.id for line in s.lines]
    test = _free("range", set(line_ids))
    made = [p for p in s.product_ids() if any(p in line.products for line in s.lines)]
    stations = [{"id": x["id"], "role": "produce", **x} for x in d["lines"]]
    stations.append({"id": test, "role": "test", **d["range"]})
    out: dict[str, Any] = {"format": 2}
    for key in ("plant", "calendar", "products", "suppliers"):
        if key in d:
            out[key] = d[key]
    out["stations"] = stations
    out["buffers"] = [{"id": "buffer", **d["buffer"]}]
    out["routings"] = [
        {
            "products": made,
            "stages": [{"stations": line_ids}, {"buffer": "buffer", "stations": [test]}],
        }
    ]
    for key in ("changeover", "grid", "storage", "demand"):
        if key in d:
            out[key] = d[key]
    return out


def to_network(s: Scenario) -> Network:
    """A format 1 scenario as the network it describes (validated as a stored one: ``s`` was
    valid, so the conversion refuses nothing it holds)."""
    return Network.model_validate(network_data(s), context=STORED)


def network_toml(net: Network) -> str:
    """A network as a format 2 scenario file."""
    return dumps(model_data(net))


def scenario_schema(form: int = 1) -> dict[str, Any]:
    """The JSON Schema of scenario files of format 1 (the model's own, which leaves out the
    optional ``format = 1``) or of format 2."""
    return (Network if form == 2 else Scenario).model_json_schema(by_alias=True)


def not_run_yet(net: Network) -> list[Reference]:
    """One problem per feature of ``net`` that this version's engine does not run."""
    out: list[Reference] = []
    reads: dict[str, tuple[str, Path_]] = {}
    for i, r in enumerate(net.routings):
        for k, stage in enumerate(r.stages):
            for j, name in enumerate(stage.stations):
                if stage.buffer is None:
                    continue
                first = reads.setdefault(name, (stage.buffer, ("routings", i, "stages", k)))
                if first[0] != stage.buffer:
                    out.append(
                        Reference(
                            ("routings", i, "stages", k, "stations", j),
                            name,
                            f"a station reading two buffers is {_NOT_YET}: {name} reads"
                            f" {first[0]} in {'.'.join(map(str, first[1]))}",
                        )
                    )
    for i, s in enumerate(net.stations):
        at: Path_ = ("stations", i)
        if s.changeover_crew is not None:
            out.append(
                Reference(
                    (*at, "changeover_crew"), s.changeover_crew, f"changeover crews are {_NOT_YET}"
                )
            )
        if s.role == "test":
            # fields at other values than their defaults (a scenario written back in full, as
            # --set does, names the defaults too)
            fields = type(s).model_fields
            given = {f for f in fields if getattr(s, f) != fields[f].default}
            for field in sorted(given - {"id", "role", "products", *_RANGE}):
                out.append(
                    Reference(
                        (*at, field), model_data(getattr(s, field)), f"{field} on a test station:"
                        f" {_NOT_YET} (it has lanes, test_time and sampling only)",
                    )
                )  # fmt: skip
    return out
