"""Which engine runs (plantwin._build): the compiled one only while every compiled module is
there and no older than its source; else the same code interpreted, and why."""

from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plantwin import _build

MODULES = ("sim._kernel", "sim._station")


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plantwin/sim folder whose two compiled modules have their extension, built after."""
    monkeypatch.setattr(_build, "_ROOT", tmp_path)
    monkeypatch.setattr(_build, "COMPILED", MODULES)
    monkeypatch.delenv("PLANTWIN_ENGINE", raising=False)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    folder = tmp_path / "sim"
    folder.mkdir()
    for name in ("_kernel", "_station"):
        (folder / f"{name}.py").write_text("", encoding="utf-8")
        (folder / f"{name}{suffix}").write_text("", encoding="utf-8")
        os.utime(folder / f"{name}.py", (1_000, 1_000))
        os.utime(folder / f"{name}{suffix}", (2_000, 2_000))
    return folder


def test_every_module_compiled_and_fresh_runs_compiled(sim: Path) -> None:
    assert _build.engine() == ("compiled", "")


def test_a_source_newer_than_its_extension_runs_interpreted(sim: Path) -> None:
    os.utime(sim / "_station.py", (3_000, 3_000))
    kind, why = _build.engine()
    assert kind == "interpreted"
    assert "sim/_station.py is newer than its extension" in why


def test_a_declaration_file_newer_than_its_extension_runs_interpreted(sim: Path) -> None:
    (sim / "_kernel.pxd").write_text("", encoding="utf-8")
    os.utime(sim / "_kernel.pxd", (3_000, 3_000))
    assert _build.engine()[1].startswith("sim/_kernel.pxd is newer than its extension")


def test_a_pyx_newer_than_its_extension_runs_interpreted(sim: Path) -> None:
    (sim / "_kernel.pyx").write_text("", encoding="utf-8")
    os.utime(sim / "_kernel.pyx", (3_000, 3_000))
    assert _build.engine()[1].startswith("sim/_kernel.pyx is newer than its extension")


def test_a_missing_extension_runs_interpreted(sim: Path) -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (sim / f"_kernel{suffix}").unlink()
    assert _build.engine() == ("interpreted", "not compiled at install (no C compiler?)")


def test_the_environment_may_ask_for_the_interpreted_engine(
    sim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTWIN_ENGINE", "python")
    assert _build.engine() == ("interpreted", "PLANTWIN_ENGINE=python")


def test_nothing_compiled_runs_interpreted(sim: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_build, "COMPILED", ())
    assert _build.engine() == ("interpreted", "no module is compiled yet")


def test_setup_compiles_the_modules_the_engine_checks() -> None:
    """setup.py reads the list from plantwin/_build.py: one list."""
    setup = (Path(__file__).parents[1] / "setup.py").read_text(encoding="utf-8")
    assert 'runpy.run_path("src/plantwin/_build.py")["COMPILED"]' in setup
    root = Path(_build.__file__).parent
    for name in _build.COMPILED:  # a .py always: the interpreted engine (a .pyx's twin)
        assert root.joinpath(*name.split(".")).with_suffix(".py").exists()


def test_the_interpreted_engine_loads_every_compiled_module_from_its_source() -> None:
    """``import plantwin`` settles the engine, so a compiled module outside plantwin.sim that is
    imported first (the switching rules, which scenario validation reads) runs interpreted too."""
    code = (
        "import plantwin.sampling._switching as m, plantwin.sim as s; "
        "print(m.__file__); print(s.ENGINE)"
    )
    env = {**os.environ, "PLANTWIN_ENGINE": "python"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    path, kind = done.stdout.split()
    assert path.endswith(os.path.join("sampling", "_switching.py"))
    assert kind == "interpreted"
