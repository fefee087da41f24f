"""What every scenario model shares: strict frozen models, the form of an id, and plain values.

Every field of every scenario model passes one check (``Model._plain``): text holds no control,
line-separator or bidi-override characters (it is printed in terminals and reports), numbers
are finite and within 2**53 (where floats hold whole numbers exactly), and dates leave the
calendar room to work (``FIRST_DAY`` to ``LAST_DAY``). Fields add their own bounds on top.
"""

from __future__ import annotations

import math
import re
import sys
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

__all__ = ["FIRST_DAY", "LAST_DAY", "MAX_EXACT", "STORED", "Id", "Model", "stored"]

Id = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40), AfterValidator(sys.intern)
]
"""An id: interned, so that every mention of one id in a scenario is the same string object and
the engine's lookups by id compare pointers, not characters."""

MAX_EXACT = 2**53
"""The largest magnitude of any number in a scenario: floats hold every whole number up to it."""

FIRST_DAY = date(2, 1, 1)
LAST_DAY = date(9998, 12, 31)
"""Dates in a scenario, and the whole run, lie within these days: Python's calendar covers years
1 to 9999, and a run needs a margin around its dates (the night shift before the start, the due
date after the last release, time-zone offsets)."""

# C0, DEL and C1 controls, the line and paragraph separators, and the bidi embeddings, overrides
# and isolates (which can make text display as something else)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _not_plain(value: Any) -> str | None:
    """Why ``value`` (text, a number, a date, or a list of them) cannot be in a scenario, if so."""
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            why = _not_plain(item)
            if why is not None:
                return why if len(value) == 1 else f"item {i} ({item!r}): {why}"
        return None
    if isinstance(value, str):
        bad = _UNSAFE.search(value)
        if bad is None:
            return None
        return (
            f"contains U+{ord(bad.group()):04X} at position {bad.start()}: text may hold no"
            " control, line-separator or bidi-override characters"
        )
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    if isinstance(value, int | float) and abs(value) > MAX_EXACT:
        return f"must lie within ±{MAX_EXACT:,} (2**53), beyond which numbers lose whole units"
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if not FIRST_DAY <= day <= LAST_DAY:
            return (
                f"dates must lie between {FIRST_DAY} and {LAST_DAY}: a run needs a margin"
                " inside the calendar's years 1 to 9999"
            )
    return None


STORED = {"stored": True}
"""Validation context of a scenario read back from a results store: it was valid when saved,
so the rules added since (plain text, event limits) do not lock its results away."""


def stored(info: ValidationInfo) -> bool:
    """Whether this validation reads a stored scenario (see ``STORED``)."""
    return bool(info.context and info.context.get("stored"))


class Model(BaseModel):
    """A scenario model: unknown fields are errors, and a validated scenario never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    @field_validator("*")
    @classmethod
    def _plain(cls, value: Any, info: ValidationInfo) -> Any:
        why = None if stored(info) else _not_plain(value)
        if why is not None:
            raise ValueError(why)
        return value
