"""KPI names: the flat dotted form of an experiment's table, and today's names for old ones."""

from __future__ import annotations

import functools
from typing import Any

from plantwin.kpis._models import IsoPlantKpis, Model, RunKpis, Shape, shape

__all__ = ["flat_names", "flatten", "upgrade_kpi_name", "upgrade_kpis"]

# left out of the flat rows, which stay small: each station's ISO 22400 KPIs repeat lines.*, and
# the plant's time elements and quantities are sums of lines.* (the plant's KPIs go in)
_NOT_FLAT = frozenset(
    {"iso22400.stations", *(f"iso22400.plant.{k}" for k in IsoPlantKpis.ELEMENTS)}
)


def flatten(kpis: dict[str, Any] | RunKpis, prefix: str = "") -> dict[str, float]:
    """Numeric KPIs as one flat mapping with dotted keys (``lines.L1.availability``), but for
    the ISO 22400 KPIs of each station and the plant's time elements and quantities. Of the
    typed KPIs the same as of their dict (``flatten(compute(r)) == flatten(compute_kpis(r))``),
    without making the dict."""
    out: dict[str, float | None] = {}
    if isinstance(kpis, dict):
        _leaves(kpis, prefix, out, False)
    else:
        _model_leaves(kpis, prefix, out)
    return out  # type: ignore[return-value]  # no None: only names of missing values get one


def flat_names(kpis: dict[str, Any]) -> list[str]:
    """The columns :func:`flatten` gives runs of these KPIs: the numeric KPIs, and those without
    a value in this run (an OEE, a lead time after an hour), dates and texts left out."""
    out: dict[str, float | None] = {}
    _leaves(kpis, "", out, True)
    return list(out)


_NUMBER = (bool, int, float)


def _leaves(kpis: dict[str, Any], prefix: str, out: dict[str, float | None], missing: bool) -> None:
    """Every numeric leaf of the KPIs' dict into ``out`` by its dotted name (as a float), and
    with ``missing`` every None but a date's, the ones the rows leave out skipped."""
    for key, value in kpis.items():
        name = f"{prefix}{key}"
        if name in _NOT_FLAT:
            continue
        if isinstance(value, _NUMBER):
            out[name] = float(value)
        elif isinstance(value, dict):
            _leaves(value, f"{name}.", out, missing)
        elif missing and value is None and not name.endswith("_date"):
            out[name] = None


# what a model's field holds: a number (or None), a model, a dict of models, a dict of numbers
_NUMBERS, _MODEL, _MODELS, _VALUES = range(4)


def _model_leaves(kpis: Model, prefix: str, out: dict[str, float | None]) -> None:
    """The leaves of a model, as ``_leaves`` finds them in its dict (a field its dict leaves
    out holds None: no number), walking the fields its type says hold numbers or nest."""
    of = shape(type(kpis))
    values = of.values(kpis)
    for i, name, kind in _fields_under(of, prefix):
        value = values[i]
        if kind == _NUMBERS:
            if value is not None:
                out[name] = float(value)
        elif kind == _MODEL:
            _model_leaves(value, f"{name}.", out)
        elif kind == _MODELS:
            for key, model in value.items():
                _model_leaves(model, f"{name}.{key}.", out)
        else:
            for key, number in value.items():
                out[f"{name}.{key}"] = float(number)


@functools.lru_cache(maxsize=4096)
def _fields_under(of: Shape, prefix: str) -> tuple[tuple[int, str, int], ...]:
    """(index, dotted name under ``prefix``, what it holds) of the fields of a model type whose
    leaves go into the rows, kept: an experiment's replications name the same stations and
    products."""
    out = []
    for i, name in enumerate(of.names):
        dotted = f"{prefix}{name}"
        if dotted in _NOT_FLAT or name in of.texts:
            continue
        if name in of.nested:
            kind = _MODEL
        elif name in of.mapped:
            kind = _MODELS
        elif name in of.copied:
            kind = _VALUES
        else:
            kind = _NUMBERS
        out.append((i, dotted, kind))
    return tuple(out)


_RENAMED = {"units_good": "units_stored"}  # it counted units into storage, defectives included


def upgrade_kpi_name(name: str) -> str:
    """A KPI key (``units_good``) or flat name (``output.units_good``) as plantwin names it now."""
    head, dot, last = name.rpartition(".")
    return f"{head}{dot}{_RENAMED[last]}" if last in _RENAMED else name


def upgrade_kpis(value: Any) -> Any:
    """KPIs (nested, or flat names as keys) stored by an older plantwin, under today's names.

    KPIs added since are absent; readers show them as unknown.
    """
    if isinstance(value, dict):
        return {upgrade_kpi_name(str(k)): upgrade_kpis(v) for k, v in value.items()}
    return value
