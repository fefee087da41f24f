"""The root Typer application: one command per module, all thin shells over the library."""

from __future__ import annotations

from typing import Annotated

import typer

from plantwin import __version__
from plantwin.cli import _experiment, _results, _run, _sampling, _scenarios

__all__ = ["app"]

app = typer.Typer(
    name="plantwin",
    help="A digital twin of a multi-line manufacturing plant: simulate, experiment, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plantwin {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="show the version")
    ] = False,
) -> None:
    """plantwin: simulate a plant over weeks to years and see its KPIs."""


app.command()(_run.run)
app.command()(_experiment.experiment)
app.command()(_results.runs)
app.command()(_results.show)
app.command()(_results.delete)
app.command()(_results.export)
app.command()(_results.report)
app.command()(_scenarios.scenarios)
app.command()(_scenarios.init)
app.command()(_scenarios.validate)
app.command()(_scenarios.schema)
app.add_typer(_sampling.app, name="sampling")
