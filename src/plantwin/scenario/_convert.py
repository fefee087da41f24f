"""Between the formats: a format 1 scenario as its network, and the network this version's
engine runs back as format 1.

Format 1's plant is one network shape (DESIGN.md "Default network of a format 1 file"): every
line a produce station in stage 1, the range a test station reading the buffer (in lots), then
storage, one routing for every product made. The engine runs that shape only, so a format 2 file
runs when it is that shape; every other feature gets one problem saying it is not run yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from plantwin.scenario._models import Scenario
from plantwin.scenario._network import Network
from plantwin.scenario._references import Reference
from plantwin.scenario._toml import dumps

__all__ = [
    "model_data",
    "network_data",
    "network_toml",
    "runnable",
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
    """A format 1 scenario as the network it describes."""
    return Network.model_validate(network_data(s))


def network_toml(net: Network) -> str:
    """A network as a format 2 scenario file."""
    return dumps(model_data(net))


def scenario_schema(form: int = 1) -> dict[str, Any]:
    """The JSON Schema of scenario files of format 1 (the model's own, which leaves out the
    optional ``format = 1``) or of format 2."""
    return (Network if form == 2 else Scenario).model_json_schema(by_alias=True)


def runnable(net: Network) -> tuple[dict[str, Any], Callable[[Path_], Path_], list[Reference]]:
    """The format 1 data of a network this engine runs, a map from its paths to the network's,
    and one problem per feature that the engine does not run yet (the data is only meaningful
    when there are none)."""
    out: list[Reference] = []
    where = {s.id: i for i, s in enumerate(net.stations)}
    for i, s in enumerate(net.stations):
        at: Path_ = ("stations", i)
        if s.role in ("process", "assemble"):
            out.append(Reference((*at, "role"), s.role, f"{s.role} stations are {_NOT_YET}"))
        for field in ("crew", "changeover_crew", "changeover"):
            if field in s.model_fields_set:
                out.append(
                    Reference((*at, field), getattr(s, field), f"a station's {field} is {_NOT_YET}")
                )
        if s.role == "test":
            for field in sorted(s.model_fields_set - {"id", "role", "products", *_RANGE}):
                out.append(
                    Reference(
                        (*at, field), model_data(getattr(s, field)), f"{field} on a test station:"
                        f" {_NOT_YET} (it has lanes, test_time and sampling only)",
                    )
                )  # fmt: skip
    for i, c in enumerate(net.crews):
        out.append(Reference(("crews", i, "id"), c.id, f"crews are {_NOT_YET}"))
    for i, part in enumerate(net.bom):
        out.append(Reference(("bom", i, "product"), part.product, f"assembly is {_NOT_YET}"))
    for i, b in enumerate(net.buffers):
        if b.units is not None:
            out.append(
                Reference(
                    ("buffers", i, "units"),
                    b.units,
                    f"a buffer's capacity in units is {_NOT_YET}: give it in lots",
                )
            )
    first = net.routings[0]
    for i, r in enumerate(net.routings):
        at = ("routings", i)
        if r.to is not None:
            out.append(Reference((*at, "to"), r.to, f"a routing into a buffer is {_NOT_YET}"))
        if i > 0 and r.stages != first.stages:
            out.append(
                Reference(
                    (*at, "stages"),
                    None,
                    f"routings with different stages are {_NOT_YET}: every product has to go"
                    " through routings[0]'s stages",
                )
            )
        if len(r.stages) != 2:
            out.append(
                Reference(
                    (*at, "stages"),
                    len(r.stages),
                    f"routings of more or fewer than 2 stages are {_NOT_YET}: it runs produce"
                    " stations, then one test station, then storage",
                )
            )
    if len(first.stages) == 2 and len(first.stages[1].stations) != 1:
        out.append(
            Reference(
                ("routings", 0, "stages", 1, "stations"),
                first.stages[1].stations,
                f"a test stage of more than one station is {_NOT_YET}: give one station more lanes",
            )
        )
    if out:
        return {}, lambda p: p, out
    produce = [s for s in net.stations if s.role == "produce"]
    test = net.stations_of("test")[0]
    buffer = next(b for b in net.buffers if b.id == first.stages[1].buffer)
    data = model_data(net)
    stations = {s["id"]: s for s in data["stations"]}
    d: dict[str, Any] = {k: v for k, v in data.items() if k not in ("format", "stations")}
    d.pop("buffers", None)
    d.pop("routings")
    d["lines"] = [{k: v for k, v in stations[s.id].items() if k != "role"} for s in produce]
    d["range"] = {k: v for k, v in stations[test.id].items() if k in _RANGE}
    d["buffer"] = {"lots": buffer.lots}
    lines = [where[s.id] for s in produce]

    def to_network_path(p: Path_) -> Path_:
        if p[:1] == ("lines",) and len(p) > 1 and isinstance(p[1], int):
            return ("stations", lines[p[1]], *p[2:])
        if p[:1] == ("range",):
            return ("stations", where[test.id], *p[1:])
        if p[:1] == ("buffer",):
            return ("buffers", net.buffers.index(buffer), *p[1:])
        return p

    return d, to_network_path, []
