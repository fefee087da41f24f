"""Scenarios: the plant described as validated data, loaded from TOML or taken built in."""

from plantwin.scenario._base import FIRST_DAY, LAST_DAY, STORED
from plantwin.scenario._dist import DIST_NAMES, Distribution, DistributionBase, Exponential
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
    load_scenario,
    parse_scenario,
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

__all__ = [
    "DIST_NAMES",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_EVENTS",
    "MAX_EVENTS_PER_HOUR",
    "STORED",
    "WEEKDAYS",
    "Calendar",
    "Changeover",
    "Demand",
    "Distribution",
    "DistributionBase",
    "Exponential",
    "Grid",
    "Line",
    "Override",
    "Plant",
    "Problem",
    "Product",
    "Project",
    "RampUp",
    "Range",
    "Sampling",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "builtin",
    "builtin_names",
    "builtin_text",
    "check_event_budget",
    "duration_hours",
    "field_paths",
    "format_path",
    "load_scenario",
    "parse_duration",
    "parse_override",
    "parse_scenario",
    "parse_value",
    "scenario_paths",
    "validate_data",
]
