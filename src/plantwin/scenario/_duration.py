"""Durations such as ``90d``, ``6mo``, ``1y`` or ``8760h``, and their length in hours from a date.

Hours, days and weeks are fixed lengths; months and years are calendar steps from the start date,
so ``1y`` from 2025-07-01 ends on 2026-07-01 whatever the leap days. A duration must end by the
end of ``LAST_DAY``: every horizon, from a scenario or given to a run, is checked here.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date

from plantwin.scenario._base import LAST_DAY

__all__ = ["DURATION_UNITS", "duration_hours", "parse_duration"]

DURATION_UNITS = {"h": 1.0, "d": 24.0, "w": 168.0, "mo": 0.0, "y": 0.0}
_PATTERN = re.compile(r" *([0-9]+(?:\.[0-9]+)?) *(h|d|w|mo|y) *")


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
    m = _PATTERN.fullmatch(text)
    if not m:
        raise ValueError(
            f"{text!r} is not a duration: use a number and one of h, d, w, mo, y "
            "(for example 8760h, 90d, 6mo, 1y)"
        )
    amount, unit = float(m.group(1)), m.group(2)
    if not math.isfinite(amount):
        raise ValueError(f"{text!r} is too long to be a duration")
    if amount <= 0:
        raise ValueError(f"a duration must be positive, got {text!r}")
    if unit in ("mo", "y") and not amount.is_integer():
        raise ValueError(f"months and years must be whole numbers, got {text!r}")
    return amount, unit


def duration_hours(text: str | float | int, start: date) -> float:
    """The length in hours of a duration that begins at ``start`` 00:00.

    Raises ValueError when it is not a duration, or when it ends after ``LAST_DAY``.
    """
    amount, unit = parse_duration(text)
    room = ((LAST_DAY - start).days + 1) * 24.0  # hours from start to the end of LAST_DAY
    if unit in ("mo", "y"):
        months = int(amount) * (12 if unit == "y" else 1)
        if months > (LAST_DAY.year - start.year + 1) * 12:  # surely too long; spare the calendar
            hours = math.inf
        else:
            y, m = divmod(start.month - 1 + months, 12)
            year, month = start.year + y, m + 1
            # clamp e.g. 31 Jan + 1 month to the end of February
            end = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
            hours = float((end - start).days * 24)
    else:
        hours = amount * DURATION_UNITS[unit]
    if hours > room:
        raise ValueError(
            f"the duration {text!r} from {start} runs past {LAST_DAY}, the last day a run may"
            f" reach (at most {room:,.0f} h from this start)"
        )
    return hours
