"""Shared helpers of the command-line shell: error output and exit codes."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_RUN_FAILED", "err_console", "fail"]

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_BAD_INPUT = 2

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` as an error on stderr and leave with ``code`` (2: bad input)."""
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)
