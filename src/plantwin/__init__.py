"""plantwin: a digital twin of a multi-line discrete manufacturing plant.

Describe a plant as a scenario, simulate it with ``simulate``, and read the KPIs of the
``RunResult``. The command line (``plantwin``) is a thin shell over this API.

The names below are imported on first use, so that ``import plantwin.cli`` and
``plantwin --version`` do not pay for pydantic, numpy and the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin._build import settle as _settle_engine
from plantwin._lazy import lazy_attributes as _lazy_attributes
from plantwin._version import __version__

_settle_engine()  # compiled or interpreted, decided before any engine module is imported

if TYPE_CHECKING:
    from plantwin.scenario import Scenario, ScenarioError, builtin, load_scenario, parse_scenario
    from plantwin.sim import RunResult, Simulation, simulate

__all__ = [
    "RunResult",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "__version__",
    "builtin",
    "load_scenario",
    "parse_scenario",
    "simulate",
]

__getattr__, __dir__ = _lazy_attributes(
    __name__,
    {
        **dict.fromkeys(
            ["Scenario", "ScenarioError", "builtin", "load_scenario", "parse_scenario"],
            "plantwin.scenario",
        ),
        **dict.fromkeys(["RunResult", "Simulation", "simulate"], "plantwin.sim"),
    },
)
