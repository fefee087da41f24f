"""The public API: ``__all__`` of each public package lists exactly its public names.

In the manner of httpx's ``test_exported_members``: every name in ``__all__`` exists, and every
public function or class that a package takes from its own modules is listed in ``__all__``.
"""

from __future__ import annotations

import importlib
import inspect
import types

import pytest

PACKAGES = [
    "plantwin",
    "plantwin.scenario",
    "plantwin.sim",
    "plantwin.results",
    "plantwin.sampling",
    "plantwin.experiment",
    "plantwin.report",
    "plantwin.service",
    "plantwin.kpis",
    "plantwin.web",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(exported) == len(set(exported)), "duplicates in __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_function_and_class_is_exported(name: str) -> None:
    module = importlib.import_module(name)
    own = name + "."
    # getattr, not vars(): packages import their public names on first use (PEP 562)
    public = sorted(
        attr
        for attr, value in ((a, getattr(module, a)) for a in dir(module))
        if not attr.startswith("_")
        and not isinstance(value, types.ModuleType)  # ignore submodules
        and (inspect.isclass(value) or inspect.isfunction(value))
        and (value.__module__ == name or value.__module__.startswith(own))
    )
    assert public, f"{name} exposes no functions or classes"
    assert [attr for attr in public if attr not in module.__all__] == []


def test_top_level_reexports_are_the_same_objects() -> None:
    import plantwin
    import plantwin.scenario
    import plantwin.sim

    for attr in ("Scenario", "ScenarioError", "builtin", "load_scenario", "parse_scenario"):
        assert getattr(plantwin, attr) is getattr(plantwin.scenario, attr)
    for attr in ("RunResult", "Simulation", "simulate"):
        assert getattr(plantwin, attr) is getattr(plantwin.sim, attr)
