"""``plantwin convert``: write a scenario in format 2, the plant as a network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plantwin.cli._common import make_console, shell
from plantwin.service import convert as convert_scenario

__all__ = ["convert"]

console = make_console()


@shell
def convert(
    path: Annotated[str, typer.Argument(help="scenario file (TOML, either format) or built-in")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="write the format 2 file here (default: print it)"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write a scenario in format 2 (stations, buffers, routings), the form it loads as."""
    text = convert_scenario(path, output, force=force)
    if output is None:
        typer.echo(text, nl=False)
    else:
        console.print(f"wrote {output} (format 2); check it with: plantwin validate {output}")
