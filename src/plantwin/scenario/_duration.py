"""Durations such as ``90d``, ``6mo``, ``1y`` or ``8760h``, and their length in hours from a date.

Hours, days and weeks are fixed lengths; months and years are calendar steps from the start date,
so ``1y`` from 2025-07-01 ends on 2026-07-01 whatever the leap days.
"""

from __future__ import annotations

import math
import re
from datetime import date

__all__ = ["DURATION_UNITS", "duration_hours", "parse_duration"]

DURATION_UNITS = {"h": 1.0, "d": 24.0, "w": 168.0, "mo": 0.0, "y": 0.0}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|d|w|mo|y)\s*$")


def parse_duration(text: str | float | int) -> tuple[float, str]:
    """Split a duration into (amount, unit); a bare number is hours. Raises ValueError."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a duration")
    if isinstance(text, int | float):
        if not math.isfinite(text):
            raise ValueError(f"a duration must be a finite number of hours, got {text}")
        if text <= 0:
            raise ValueError(f"a duration must be positive, got {text}")
        return float(text), "h"
    m = _PATTERN.match(text)
    if not m:
        raise ValueError(
            f"{text!r} is not a duration: use a number and one of h, d, w, mo, y "
            "(for example 8760h, 90d, 6mo, 1y)"
        )
    amount, unit = float(m.group(1)), m.group(2)
    if amount <= 0:
        raise ValueError(f"a duration must be positive, got {text!r}")
    if unit in ("mo", "y") and not amount.is_integer():
        raise ValueError(f"months and years must be whole numbers, got {text!r}")
    return amount, unit


def duration_hours(text: str | float | int, start: date) -> float:
    """The length in hours of a duration that begins at ``start`` 00:00."""
    amount, unit = parse_duration(text)
    if unit not in ("mo", "y"):
        return amount * DURATION_UNITS[unit]
    months = int(amount) * (12 if unit == "y" else 1)
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    day = start.day
    while True:  # clamp e.g. 31 Jan + 1 month to the end of February
        try:
            end = date(year, month, day)
            break
        except ValueError:
            day -= 1
    return float((end - start).days * 24)
