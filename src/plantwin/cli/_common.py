"""Shared helpers of the command-line shell: consoles, literal text, JSON, errors, exit codes.

The service's errors become exit codes here, in one place (:func:`shell`).

Scenario and store text (plant names, ids, variant names, paths quoted in errors) is printed as
it is: never read as Rich markup (``[/]``) or emoji codes (``:100:``), and with control
characters made visible, so that a stored name cannot crash a listing or drive the terminal.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec

import typer
from rich.console import Console
from rich.text import Text

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RUN_FAILED",
    "err_console",
    "fail",
    "interrupted",
    "literal",
    "make_console",
    "print_json",
    "shell",
]

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C

# C0 controls but newline and tab, DEL, C1 controls (0x9b is a one-byte CSI), and the line
# separators and bidi controls that make text display as something else (as the scenario
# validator refuses them; a store may hold text from before it did)
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: str) -> str:
    """``text`` with control characters written as escapes (ESC as ``\\x1b``); newlines and
    tabs kept. Rich's Text drops a few control codes but lets ESC through."""
    return _CONTROL.sub(_escape, text)


class _LiteralConsole(Console):
    """A console whose strings are always literal: every ``str`` it renders (printed, a table
    cell, a title) passes :func:`literal`; styling comes from :class:`rich.text.Text` only."""

    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return super().render_str(literal(text), *args, **kwargs)


def make_console(*, stderr: bool = False) -> Console:
    """The console every command prints through: no markup, no emoji codes, no highlighting."""
    return _LiteralConsole(
        stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=stderr
    )


err_console = make_console(stderr=True)

_ERROR = Text("error:", style="bold red")
_INTERRUPTED = Text("interrupted:", style="bold yellow")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` as an error on stderr and leave with ``code`` (2: bad input)."""
    err_console.print(_ERROR, message)
    raise typer.Exit(code)


def interrupted(what: str) -> NoReturn:
    """Say in one line what Ctrl-C stopped, and leave with code 130."""
    err_console.print(_INTERRUPTED, what)
    raise typer.Exit(EXIT_INTERRUPTED)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Print ``value`` as standard JSON: NaN and infinities (a CI of one replication, a ratio
    with nothing to divide by) become null, since ``NaN``/``Infinity`` are not JSON."""
    typer.echo(json.dumps(_finite(value), indent=2, allow_nan=False, default=str))


_P = ParamSpec("_P")


def shell(command: Callable[_P, None]) -> Callable[_P, None]:
    """A command whose service errors end it as the CLI does: the message on stderr, exit 2
    for bad input, 1 for work that failed. ``PLANTWIN_DEBUG`` shows an engine defect's
    traceback instead."""
    from plantwin.service import BadInput, EngineFailed, ServiceError

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except ServiceError as exc:
            if isinstance(exc, EngineFailed) and os.environ.get("PLANTWIN_DEBUG"):
                raise
            fail(exc.message, EXIT_BAD_INPUT if isinstance(exc, BadInput) else EXIT_RUN_FAILED)

    return run
