"""The command-line shell: ``plantwin run``, ``plantwin validate``, ``plantwin sampling``, ..."""

from __future__ import annotations

__all__ = ["app", "main"]

from plantwin.cli._app import app


def main() -> None:
    """Entry point of the ``plantwin`` console script; one line on stderr when the engine was
    not compiled at install (it runs interpreted: the same results, slower)."""
    import sys

    from plantwin._build import engine

    kind, why = engine()
    if kind == "interpreted" and why.startswith("not compiled"):
        sys.stderr.write(f"plantwin: warning: the engine runs interpreted ({why})\n")
    app()
