"""Numbers and notes as the terminal shows them: percentages, millions, a mean with its CI at
the digits its precision earns, and prose that a pipe receives unwrapped.

Tables are laid out to fit 80 columns; prose beside them (notes, legends) is printed as whole
lines to a pipe or a file (no hard wrap in mid-sentence) and word-wrapped on a terminal.
"""

from __future__ import annotations

import math

from rich.console import Console
from rich.text import Text

__all__ = ["ci_cells", "diff_cells", "millions", "note", "number", "percent"]


def _missing(x: float | None) -> bool:
    return x is None or not math.isfinite(x)


def number(x: float | None, digits: int = 0) -> str:
    """``x`` with thousands separators and ``digits`` decimals; "-" when there is none."""
    return "-" if x is None or not math.isfinite(x) else f"{x:,.{digits}f}"


def percent(x: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.891 -> "89.1 %"."""
    return "-" if _missing(x) else f"{100 * x:.{digits}f} %"  # type: ignore[operator]


def millions(x: float | None) -> str:
    """Units in millions: 62_355_000 -> "62.36 M"."""
    return "-" if _missing(x) else f"{x / 1e6:,.2f} M"  # type: ignore[operator]


def note(console: Console, text: str | Text) -> None:
    """Print a line of prose: word-wrapped to the width on a terminal, one line to a pipe."""
    console.print(text, soft_wrap=not console.is_terminal)


def _decimals(spread: float, default: int, least: int) -> int:
    """Decimals (``least`` to 3) that show a CI half-width ``spread`` to one significant digit,
    two when it starts with a 1 (0.96 -> 1 decimal, 0.14 -> 2): the digits beyond say nothing."""
    if not spread > 0 or not math.isfinite(spread):
        return default
    exponent = math.floor(math.log10(spread))
    leading_one = int(spread / 10.0**exponent < 2)
    return max(least, min(3, leading_one - exponent))


def _scale(kpi: str, values: list[float]) -> tuple[float, str, int, int]:
    """(factor, suffix, default and least decimals) for a KPI's values: percentages (at least
    one decimal, as ``plantwin run`` shows them), millions, or plain numbers."""
    from plantwin.kpis import is_fraction  # here: plantwin.kpis imports the engine

    if is_fraction(kpi):
        return 100.0, " %", 1, 1
    finite = [abs(v) for v in values if math.isfinite(v)]
    if finite and max(finite) >= 1e6:
        return 1e-6, " M", 2, 0
    whole = all(float(v).is_integer() for v in finite)
    return 1.0, "", 0 if whole or (finite and max(finite) >= 100) else 2, 0


def ci_cells(kpi: str, mean: float, low: float, high: float) -> tuple[str, str]:
    """A KPI's mean and 95 % CI as two cells at the same digits; a fraction's as percentages
    with its CI clipped to [0, 1] (a share cannot leave 0-100 %)."""
    from plantwin.kpis import clip_ci

    low, high = clip_ci(kpi, low, high)
    factor, suffix, default, least = _scale(kpi, [mean, low, high])
    if _missing(mean):
        return "-", "-"
    d = _decimals((high - low) / 2 * factor, default, least)
    interval = "-" if _missing(low) or _missing(high) else (
        f"[{low * factor:,.{d}f}, {high * factor:,.{d}f}]{suffix}"
    )  # fmt: skip
    return f"{mean * factor:,.{d}f}{suffix}", interval


def diff_cells(kpi: str, diff: float, low: float, high: float) -> tuple[str, str]:
    """A paired difference and its 95 % CI; a fraction's in percentage points ("pp")."""
    factor, suffix, default, least = _scale(kpi, [diff, low, high])
    suffix = " pp" if suffix == " %" else suffix
    if _missing(diff):
        return "-", "-"
    d = _decimals((high - low) / 2 * factor, default, least)

    def signed(x: float) -> str:
        text = f"{x * factor:+,.{d}f}"
        return text[1:] if round(x * factor, d) == 0 else text  # no sign on a zero

    interval = "-" if _missing(low) or _missing(high) else f"[{signed(low)}, {signed(high)}]"
    return f"{signed(diff)}{suffix}", f"{interval}{suffix}" if interval != "-" else interval
