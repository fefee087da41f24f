"""The command-line shell: ``plantwin run``, ``plantwin validate``, ``plantwin sampling``, ..."""

from __future__ import annotations

__all__ = ["app", "main"]

from plantwin.cli._app import app


def main() -> None:
    """Entry point of the ``plantwin`` console script."""
    app()
