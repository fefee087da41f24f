"""Scenarios: the plant described as validated data, loaded from TOML or taken built in."""

from plantwin.scenario._dist import DIST_NAMES, Distribution
from plantwin.scenario._duration import duration_hours, parse_duration
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

__all__ = [
    "DIST_NAMES",
    "Calendar",
    "Changeover",
    "Demand",
    "Distribution",
    "Grid",
    "Line",
    "Plant",
    "Problem",
    "Product",
    "Range",
    "Sampling",
    "Scenario",
    "ScenarioError",
    "builtin",
    "builtin_names",
    "builtin_text",
    "duration_hours",
    "field_paths",
    "format_path",
    "load_scenario",
    "parse_duration",
    "parse_scenario",
    "validate_data",
]
