"""Results kept for the object they were computed from: an experiment runs the same scenario
object many times, and pydantic's frozen models with lists cannot be hashed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["per_object"]

_R = TypeVar("_R")


def per_object(fn: Callable[..., _R]) -> Callable[..., _R]:
    """``fn(obj, *args)`` computed once per (obj, args) while ``obj`` is the same object; at
    most 16 kept (the cache is cleared when full)."""
    kept: dict[tuple[Any, ...], tuple[object, _R]] = {}

    @functools.wraps(fn)
    def wrapper(obj: object, *args: Any) -> _R:
        key = (id(obj), *args)
        hit = kept.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = fn(obj, *args)
        if len(kept) >= 16:
            kept.clear()
        kept[key] = (obj, value)
        return value

    return wrapper
