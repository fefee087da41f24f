"""Writing a scenario in format 2 (the plant as a network), as ``plantwin convert`` does."""

from __future__ import annotations

from pathlib import Path

from plantwin.scenario import ScenarioError, load_network, network_toml
from plantwin.service._errors import BadInput, RunFailed, bad_scenario
from plantwin.service._load import check_output

__all__ = ["convert"]

_HEADER = (
    "# A plantwin scenario in format 2 (the plant as a network), written by plantwin convert;\n"
    "# the comments of the file it came from are not kept.\n"
)


def convert(name: str, output: Path | None = None, *, force: bool = False) -> str:
    """The format 2 TOML of the scenario file or built-in ``name`` (either format), also
    written to ``output`` when given: atomically, so a failed write leaves no half file.
    BadInput for a bad scenario or output path (an existing file needs ``force``)."""
    check_output(output, "--output", (".toml",))
    if output is not None and output.exists() and not force:
        raise BadInput(f"--output {output} exists; use --force to overwrite it")
    try:
        text = _HEADER + "\n" + network_toml(load_network(name))
    except ScenarioError as exc:
        raise bad_scenario(exc) from exc
    if output is not None:
        from plantwin.results import atomic_write

        try:
            atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        except OSError as exc:
            raise RunFailed(f"cannot write {output}: {exc.strerror or exc}") from exc
    return text
