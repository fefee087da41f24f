"""Package attributes imported on first use (PEP 562), so a command pays only for what it uses.

A package lists where each public name lives; ``import plantwin.results`` then costs nothing,
and ``from plantwin.results import open_store`` imports the store's module (and SQLAlchemy)
but not pandas or pyarrow.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, sources: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__``: name -> the module (absolute) defining it.

    A name is imported when first read and then kept in the package, like an eager import.
    """
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        if name not in sources:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(sources[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *sources})

    return __getattr__, __dir__
