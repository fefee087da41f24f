"""Which engine runs: the engine's modules compiled (Cython extensions built at install, where a C
compiler is there) or the same modules interpreted.

One source: the extensions are compiled from the very ``.py`` files that run interpreted, so
both are the same code; only the event heap, the defective counts, the draws, the event log and
the completions (``_heap``, ``_counts``, ``_draws``, ``_log``, ``_completions``) are compiled
from a ``.pyx`` of their own (C arrays, numpy's C distribution functions), each beside an
interpreted twin that keeps the same order, draws and columns. The interpreted engine runs
when ``PLANTWIN_ENGINE=python`` asks for it, when no extension was built, or when an extension
is older than its source (an editable install whose ``.py`` changed since: rebuild with ``pip
install -e .``). Light on purpose: ``plantwin --version`` reads it without importing the
engine.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = ["COMPILED", "engine", "settle", "use_sources"]

COMPILED: tuple[str, ...] = (
    "sim._heap",
    "sim._counts",
    "sim._log",
    "sim._kernel",
    "sim._draws",
    "sim._streams",
    "sim._dispatch",
    "sim._inspection",
    "sim._lot",
    "sim._completions",
    "sim._node",
    "sim._station",
    "sim._tester",
    "sim._buffer",
    "sim._storage",
    "sim._demand",
    "sim._engine",
    "sim._standard",
    "sampling._switching",
    "sim._record",
    "kpis._iso22400",
    "kpis._compute",
    "sim._plant",
    "sim._grid",
    "sim._calendar",
)
"""The modules under ``plantwin`` that setup.py compiles, each typed by the ``.pxd`` beside it
(C fields for its classes; the ``.py`` stays plain Python), or from its ``.pyx`` where it has
one. Compiled untyped, the engine's modules ran no faster than interpreted: CPython 3.11's
specialising interpreter reads a slot about as fast as Cython's generic attribute access. The
last six, the run's record and KPIs and the plant's making (its nodes, the grid's cuts, the
calendar), are compiled untyped all the same: made of dicts, comprehensions and sums, which
every run makes, they take fewer instructions so (record and KPIs 3.6 -> 3.2 M a plant-year
of ``maracay``, the making 1.09 -> 0.82 M)."""

_ROOT = Path(__file__).parent


def _path(name: str) -> Path:
    """The path of module ``name`` (e.g. ``sim._kernel``) without a suffix."""
    return _ROOT.joinpath(*name.split("."))


def _extension(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = _path(name).with_name(_path(name).name + suffix)
        if path.exists():
            return path
    return None


def engine() -> tuple[str, str]:
    """("compiled", "") or ("interpreted", why)."""
    if os.environ.get("PLANTWIN_ENGINE") == "python":
        return "interpreted", "PLANTWIN_ENGINE=python"
    if not COMPILED:
        return "interpreted", "no module is compiled yet"
    for name in COMPILED:
        ext = _extension(name)
        if ext is None:
            return "interpreted", "not compiled at install (no C compiler?)"
        built = ext.stat().st_mtime
        base = _path(name)
        for source in (base.with_suffix(s) for s in (".py", ".pxd", ".pyx")):
            # a second's grace: an install writes the files one after the other
            if source.exists() and built + 1.0 < source.stat().st_mtime:
                shown = source.relative_to(_ROOT).as_posix()
                return "interpreted", f"{shown} is newer than its extension: pip install -e ."
    return "compiled", ""


class _Sources(MetaPathFinder):
    """Loads the compiled modules from their ``.py`` files, extensions or not."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, name = fullname.partition(".")
        if package != "plantwin" or name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(fullname, _path(name).with_suffix(".py"))


def use_sources() -> None:
    """Make the compiled modules load interpreted (before any of them is imported)."""
    if not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources())


@functools.cache
def settle() -> tuple[str, str]:
    """Decide once per process which engine runs (``engine()``) and, if interpreted, load the
    compiled modules from their sources: ``import plantwin`` calls it before any of them is
    imported, so a process never mixes the two."""
    chosen = engine()
    if chosen[0] == "interpreted":
        use_sources()
    return chosen
