"""The README's commands table is true: every command has a row, and a row names exactly the
command's flags (each by its long form or its short one)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from plantwin.cli import app

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _table() -> dict[str, str]:
    """Each row of the README's commands table by command (``run``, ``sampling oc``): its
    synopsis."""
    rows: dict[str, str] = {}
    for cell in re.findall(r"^\| `plantwin ([^`]+)` \|", README, flags=re.MULTILINE):
        words = cell.split()
        rows[" ".join(words[:2]) if words[0] == "sampling" else words[0]] = cell
    return rows


def _commands() -> dict[str, Any]:
    """Every command by name, a group's (``sampling``) as ``sampling plan``, ...."""
    root: Any = typer.main.get_command(app)
    ctx = root.make_context("plantwin", [], resilient_parsing=True)
    found: dict[str, Any] = {}
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        if hasattr(command, "list_commands"):  # a group
            for sub in command.list_commands(ctx):
                found[f"{name} {sub}"] = command.get_command(ctx, sub)
        else:
            found[name] = command
    return found


COMMANDS = _commands()
TABLE = _table()


def test_every_command_has_a_row() -> None:
    assert sorted(TABLE) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_rows_flags_are_the_commands(name: str) -> None:
    options = [p for p in COMMANDS[name].params if p.param_type_name == "option"]
    flags = {max(p.opts, key=len) for p in options} - {"--help"}
    long_of = {opt: max(p.opts, key=len) for p in options for opt in p.opts}
    shown = {long_of.get(f, f) for f in re.findall(r"(?<![\w-])--?[a-z][a-z-]*", TABLE[name])}
    assert shown == flags, f"only in the README: {shown - flags}; missing: {flags - shown}"
