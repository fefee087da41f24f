"""The root Typer application: one command per module, all thin shells over the library.

Commands are registered by name and their module is imported only when the command is looked
up, so ``plantwin --version`` and each command pay only for the imports they use.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup

from plantwin import __version__

if TYPE_CHECKING:
    from typer._click import Command

__all__ = ["app"]

# command name -> (module in plantwin.cli, attribute: a command function or a Typer group),
# in the order ``plantwin --help`` lists them
_COMMANDS = {
    "run": ("_run", "run"),
    "experiment": ("_experiment", "experiment"),
    "runs": ("_results", "runs"),
    "show": ("_results", "show"),
    "delete": ("_results", "delete"),
    "export": ("_results", "export"),
    "report": ("_results", "report"),
    "scenarios": ("_scenarios", "scenarios"),
    "init": ("_scenarios", "init"),
    "validate": ("_scenarios", "validate"),
    "schema": ("_scenarios", "schema"),
    "convert": ("_convert", "convert"),
    "sampling": ("_sampling", "app"),
    "serve": ("_serve", "serve"),
}


def _load(name: str) -> Command:
    """Import the module of command ``name`` and build its click command."""
    module, attr = _COMMANDS[name]
    target = getattr(importlib.import_module(f"plantwin.cli.{module}"), attr)
    holder = typer.Typer(rich_markup_mode=None)  # plain help: flags without a <bool> type
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _Commands(MutableMapping[str, "Command"]):
    """Every command by name; reading a command imports its module (once)."""

    def __init__(self) -> None:
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in _COMMANDS:
                raise KeyError(name)
            self._built[name] = _load(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("plantwin's commands are fixed")

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(_COMMANDS), **self._built})

    def __len__(self) -> int:
        return len({*_COMMANDS, *self._built})


class _LazyGroup(TyperGroup):
    """The root group: every command's name is known up front (a typo gets suggestions), its
    module is imported when the command is looked up."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()


app = typer.Typer(
    name="plantwin",
    cls=_LazyGroup,
    help="A digital twin of a multi-line manufacturing plant: simulate, experiment, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from plantwin._build import engine

        kind, why = engine()
        typer.echo(f"plantwin {__version__} ({kind} engine{': ' + why if why else ''})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="show the version")
    ] = False,
) -> None:
    """plantwin: simulate a plant over weeks to years and see its KPIs."""
