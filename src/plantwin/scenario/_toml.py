"""Writing scenario data as TOML, laid out as the built-in scenarios are.

Top-level tables become ``[table]``, lists of tables ``[[table]]`` (and ``[[table.key]]`` one
level down, as ``[[demand.recurring]]``); anything deeper is an inline table, such as a
distribution ``{ dist = "exponential", mean = 60 }``. Values are what a scenario holds: text,
whole and finite numbers, booleans, dates, date-times, lists and tables.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

__all__ = ["dumps"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def dumps(data: dict[str, Any]) -> str:
    """``data`` as a TOML document."""
    lines = [_pair(k, v) for k, v in data.items() if not _is_section(v)]
    for key, value in data.items():
        if isinstance(value, dict):
            body = _section(key, value)
            # a table holding only lists of tables needs no header of its own
            header = [] if body and body[0] == "" else ["", f"[{_key(key)}]"]
            lines += [*header, *body]
        elif _is_tables(value):
            for item in value:
                lines += ["", f"[[{_key(key)}]]", *(_pair(k, v) for k, v in item.items())]
    return "\n".join(lines).lstrip("\n") + "\n"


def _section(name: str, data: dict[str, Any]) -> list[str]:
    """The body of table ``[name]``: its keys, then its lists of tables as ``[[name.key]]``
    (TOML keys are unordered, so moving them after the plain keys changes nothing)."""
    lines = [_pair(k, v) for k, v in data.items() if not _is_tables(v)]
    for key, value in data.items():
        if _is_tables(value):
            for item in value:
                lines += ["", f"[[{_key(name)}.{_key(key)}]]"]
                lines += [_pair(k, v) for k, v in item.items()]
    return lines


def _pair(key: str, value: Any) -> str:
    return f"{_key(key)} = {_value(value, top=True)}"


def _is_section(value: Any) -> bool:
    return isinstance(value, dict) or _is_tables(value)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) for x in value)


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _value(value: Any, *, top: bool = False) -> str:
    """A TOML value; a list of tables at the top of a pair spans lines, one table a line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        # whole numbers as such (4200, not 4200.0): every model reads them back as the float
        return _value(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        if top and _is_tables(list(value)):
            return "[\n" + "".join(f"    {_value(x)},\n" for x in value) + "]"
        return "[" + ", ".join(_value(x) for x in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")
