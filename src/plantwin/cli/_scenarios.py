"""Commands about scenario files: list the built-ins, write one out, validate, print the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from plantwin.cli._common import err_console as err
from plantwin.cli._common import fail, make_console, shell
from plantwin.scenario import (
    Network,
    Scenario,
    ScenarioError,
    builtin,
    builtin_names,
    builtin_text,
    format_path,
    network_warnings,
)
from plantwin.service import bad_scenario, load

__all__ = [
    "SetOption",
    "init",
    "scenarios",
    "schema",
    "validate",
]

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="override a field, e.g. grid.cuts.between.mean=120 (repeatable)",
    ),
]

console = make_console()


def _stations(s: Scenario | Network) -> str:
    """How many lines (format 1) or stations (format 2) a plant has."""
    if isinstance(s, Scenario):
        return f"{len(s.lines)} lines"
    return f"{len(s.stations)} stations"


def scenarios() -> None:
    """List the built-in scenarios."""
    t = Table(title="Built-in scenarios", title_justify="left")
    t.add_column("name", no_wrap=True)
    t.add_column("plant")
    names = builtin_names()
    for n, name in enumerate(names):
        s = builtin(name)
        t.add_row(name, Text(s.plant.name, style="bold"))
        t.add_row("", f"{_stations(s)}: {', '.join(s.product_ids())}")
        t.add_row(
            "", f"from {s.plant.start.isoformat()} for {s.plant.horizon}",
            end_section=n < len(names) - 1,
        )  # fmt: skip
    console.print(t)
    console.print("Write one out to edit:", Text("plantwin init NAME PATH", style="bold"))


@shell
def init(
    args: Annotated[
        list[str],
        typer.Argument(help="[NAME] PATH: built-in to copy (default maracay), file to write"),
    ],
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write a built-in scenario to PATH, with its comments, to edit."""
    if len(args) not in (1, 2):
        fail("give PATH, or NAME PATH (for example: plantwin init maracay my-plant.toml)")
    name, path = ("maracay", args[0]) if len(args) == 1 else (args[0], args[1])
    try:
        text = builtin_text(name)
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    target = Path(path)
    if target.exists() and not force:
        fail(f"{target} exists; use --force to overwrite it")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {target}: {exc}", code=1)
    console.print(
        f"wrote {target} (from built-in '{name}'); check it with: plantwin validate {target}"
    )


@shell
def validate(
    path: Annotated[str, typer.Argument(help="scenario file (TOML) or built-in name")],
) -> None:
    """Check a scenario file and report every problem in it."""
    s = load(path).scenario
    console.print(
        Text("ok", style="green"),
        f": {path}: {s.plant.name}; {_stations(s)}, {len(s.products)} products, "
        f"{len(s.demand.recurring) + len(s.demand.orders)} demand entries",
        sep="",
    )
    if isinstance(s, Network):
        for w in network_warnings(s):
            err.print(f"{path}: {format_path(w.path)}: warning: {w.message} (got {w.value!r})")


def schema(
    form: Annotated[
        int,
        typer.Option("--format", min=1, max=2, help="scenario format: 1 (lines) or 2 (network)"),
    ] = 1,
) -> None:
    """Print the JSON Schema of scenario files (for editors and other tools)."""
    from plantwin.scenario import scenario_schema

    typer.echo(json.dumps(scenario_schema(form), indent=2))
