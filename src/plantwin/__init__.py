"""plantwin: a digital twin of a multi-line discrete manufacturing plant.

Describe a plant as a scenario, simulate it with ``simulate``, and read the KPIs of the
``RunResult``. The command line (``plantwin``) is a thin shell over this API.
"""

from importlib.metadata import PackageNotFoundError, version

from plantwin.scenario import Scenario, ScenarioError, builtin, load_scenario, parse_scenario
from plantwin.sim import RunResult, Simulation, simulate

try:
    __version__ = version("plantwin")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

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
