"""Loading what a request names: the scenario (with overrides and a horizon) and output paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plantwin.scenario import (
    Network,
    Scenario,
    ScenarioError,
    apply_overrides,
    builtin_names,
    builtin_text,
    check_event_budget,
    duration_hours,
    load_scenario,
    parse_override,
    parse_scenario,
)
from plantwin.service._errors import BadInput, bad_scenario
from plantwin.service._limits import MAX_LABEL

__all__ = ["LoadedScenario", "check_label", "check_output", "load", "load_source"]


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with what its results keep beside it.

    ``horizon`` is the override as given (None: the scenario's own), ``horizon_hours`` the
    horizon a run of it covers, ``source_text`` the TOML it came from (None for a file that
    could not be read back), ``sets`` the ``PATH=VALUE`` overrides as typed."""

    name: str
    scenario: Scenario | Network
    source_text: str | None
    horizon: str | None
    horizon_hours: float
    sets: tuple[str, ...] = ()


def load(name: str, *, sets: Sequence[str] = (), horizon: str | None = None) -> LoadedScenario:
    """The scenario file or built-in ``name`` with ``sets`` overrides (``PATH=VALUE``) and an
    optional horizon (``90d``, ``1y``); BadInput says what is wrong, every problem of a bad
    scenario listed."""
    try:
        scenario = load_scenario(name)
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    return _loaded(name, scenario, _source_text(name), sets, horizon)


def load_source(
    text: str, name: str = "<scenario>", *, sets: Sequence[str] = (), horizon: str | None = None
) -> LoadedScenario:
    """A scenario given as TOML text (a web request's), told under ``name`` in its problems'
    messages (``name:line: field: ...``), with ``sets`` and ``horizon`` as for :func:`load`;
    BadInput lists every problem, each with its line in ``problems``."""
    try:
        scenario = parse_scenario(text, name)
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    return _loaded(name, scenario, text, sets, horizon)


def _loaded(
    name: str,
    scenario: Scenario | Network,
    source_text: str | None,
    sets: Sequence[str],
    horizon: str | None,
) -> LoadedScenario:
    """The scenario with its overrides applied and its horizon checked."""
    try:
        scenario = apply_overrides(scenario, [parse_override(s) for s in sets])
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    except ValueError as exc:
        raise BadInput(f"--set: {exc}") from exc
    start = scenario.plant.start
    if horizon is None:
        hours = duration_hours(scenario.plant.horizon, start)
    else:
        try:
            hours = duration_hours(horizon, start)
        except ValueError as exc:
            raise BadInput(f"--horizon: {exc}") from exc
        why = check_event_budget(scenario, hours)
        if why is not None:
            raise BadInput(f"--horizon {horizon}: {why}")
    return LoadedScenario(name, scenario, source_text, horizon, hours, tuple(sets))


def _source_text(name: str) -> str | None:
    """The TOML text a scenario came from (file or built-in), to keep beside its results."""
    path = Path(name)
    try:
        if path.is_file():
            return path.read_text(encoding="utf-8")
        return builtin_text(name) if name in builtin_names() else None
    except (OSError, UnicodeDecodeError, ScenarioError):
        return None


def check_label(label: str | None) -> str | None:
    """A user's label for a run as it will be stored (None for none or an empty one), or
    BadInput: one line of at most MAX_LABEL characters, so that every listing stays a row."""
    if label is None or not label.strip():
        return None
    if "\n" in label or "\r" in label:
        raise BadInput("--label must be one line (it has a line break)")
    if len(label) > MAX_LABEL:
        raise BadInput(f"--label has {len(label):,} characters; at most {MAX_LABEL}")
    return label


def check_output(path: Path | None, option: str, suffixes: Sequence[str] = ()) -> None:
    """Refuse (BadInput) an output path that cannot be written, or whose name ends in none of
    ``suffixes`` (when given), before any work is done; ``option`` names it in the message."""
    if path is None:
        return
    if suffixes and path.suffix.lower() not in suffixes:
        raise BadInput(f"{option} {path}: name a {' or a '.join(suffixes)} file")
    try:
        folder, parent = path.is_dir(), path.parent.is_dir()
    except OSError as exc:  # a name too long, a loop of links
        raise BadInput(f"{option} {path}: {exc.strerror or exc}") from exc
    if folder:
        raise BadInput(f"{option} {path} is a folder; give a file name")
    if not parent:
        raise BadInput(f"{option} {path}: there is no folder {path.parent}")
    if not os.access(path.parent, os.W_OK):
        raise BadInput(f"{option} {path}: the folder {path.parent} is not writable")
