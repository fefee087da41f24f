"""Scenarios: the plant described as validated data, loaded from TOML or taken built in.

The format 2 (network) names are imported on first use: a format 1 run does not build them.
"""

from typing import TYPE_CHECKING

from plantwin._lazy import lazy_attributes
from plantwin.scenario._base import FIRST_DAY, LAST_DAY, STORED
from plantwin.scenario._dist import (
    DIST_NAMES,
    Constant,
    Distribution,
    DistributionBase,
    Exponential,
)
from plantwin.scenario._duration import duration_hours, parse_duration
from plantwin.scenario._limits import MAX_EVENTS, MAX_EVENTS_PER_HOUR, check_event_budget
from plantwin.scenario._load import (
    Problem,
    ScenarioError,
    builtin,
    builtin_names,
    builtin_text,
    field_paths,
    format_path,
    load_network,
    load_scenario,
    parse_network,
    parse_scenario,
    read_stored,
    validate_data,
)
from plantwin.scenario._models import (
    WEEKDAYS,
    Calendar,
    Changeover,
    Demand,
    Grid,
    Line,
    Plant,
    Product,
    Range,
    Sampling,
    Scenario,
)
from plantwin.scenario._overrides import (
    Override,
    apply_overrides,
    parse_override,
    parse_value,
    scenario_paths,
)
from plantwin.scenario._project import Project, RampUp

if TYPE_CHECKING:
    from plantwin.scenario._convert import network_toml, not_run_yet, scenario_schema, to_network
    from plantwin.scenario._limits import check_network_limits
    from plantwin.scenario._network import (
        ROLES,
        Component,
        Crew,
        Network,
        NetworkBuffer,
        Part,
        Routing,
        Stage,
        Station,
        network_warnings,
    )

__all__ = [
    "DIST_NAMES",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_EVENTS",
    "MAX_EVENTS_PER_HOUR",
    "ROLES",
    "STORED",
    "WEEKDAYS",
    "Calendar",
    "Changeover",
    "Component",
    "Constant",
    "Crew",
    "Demand",
    "Distribution",
    "DistributionBase",
    "Exponential",
    "Grid",
    "Line",
    "Network",
    "NetworkBuffer",
    "Override",
    "Part",
    "Plant",
    "Problem",
    "Product",
    "Project",
    "RampUp",
    "Range",
    "Routing",
    "Sampling",
    "Scenario",
    "ScenarioError",
    "Stage",
    "Station",
    "apply_overrides",
    "builtin",
    "builtin_names",
    "builtin_text",
    "check_event_budget",
    "check_network_limits",
    "duration_hours",
    "field_paths",
    "format_path",
    "load_network",
    "load_scenario",
    "network_toml",
    "network_warnings",
    "not_run_yet",
    "parse_duration",
    "parse_network",
    "parse_override",
    "parse_scenario",
    "parse_value",
    "read_stored",
    "scenario_paths",
    "scenario_schema",
    "to_network",
    "validate_data",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        **dict.fromkeys(
            ["network_toml", "not_run_yet", "scenario_schema", "to_network"],
            "plantwin.scenario._convert",
        ),
        "check_network_limits": "plantwin.scenario._limits",
        **dict.fromkeys(
            [
                "ROLES",
                "Component",
                "Crew",
                "Network",
                "NetworkBuffer",
                "Part",
                "Routing",
                "Stage",
                "Station",
                "network_warnings",
            ],
            "plantwin.scenario._network",
        ),
    },
)
