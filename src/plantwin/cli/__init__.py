"""The command-line shell: ``plantwin run``, ``plantwin validate``, ``plantwin sampling``, ..."""

from __future__ import annotations

__all__ = ["app", "main"]

from plantwin.cli._app import app


def main() -> None:
    """Entry point of the ``plantwin`` console script; one line on stderr when the engine was
    not compiled at install (it runs interpreted: the same results, slower)."""
    import gc
    import sys

    from plantwin._build import engine

    kind, why = engine()
    if kind == "interpreted" and why.startswith("not compiled"):
        sys.stderr.write(f"plantwin: warning: the engine runs interpreted ({why})\n")
    try:
        app()
    finally:
        # the process ends here and its objects go with it: frozen, they escape the
        # interpreter's collections at exit (a fifth of a second after an experiment). Files
        # and the store are closed by then: each command closes what it opens.
        gc.freeze()
