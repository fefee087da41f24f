"""Reading scenarios from TOML, with one clear message per problem.

Each problem names the file, the line (from TOML for syntax errors, found in the text for field
errors), the field path, the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from plantwin.scenario._base import STORED
from plantwin.scenario._dist import DIST_CLASSES
from plantwin.scenario._models import Scenario
from plantwin.scenario._references import ReferenceErrors

if TYPE_CHECKING:
    from plantwin.scenario._network import Network

__all__ = [
    "Problem",
    "ScenarioError",
    "builtin",
    "builtin_names",
    "builtin_text",
    "field_paths",
    "format_path",
    "load_network",
    "load_scenario",
    "parse_network",
    "parse_scenario",
    "validate_data",
]

Path_ = tuple[str | int, ...]
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario."""

    path: Path_
    message: str
    value: Any = None
    line: int | None = None

    def describe(self, source: str) -> str:
        """``file:line: field: message (got value)``."""
        where = f"{source}:{self.line}" if self.line else source
        field = format_path(self.path) or "(top level)"
        got = "" if self.value is None else f" (got {_show(self.value)})"
        return f"{where}: {field}: {self.message}{got}"


class ScenarioError(ValueError):
    """A scenario that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.describe(source) for p in problems))


def format_path(path: Path_) -> str:
    """``("lines", 2, "rate")`` as ``lines[2].rate``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _show(value: Any) -> str:
    """The value, escaped, with dates as TOML writes them; shortened to 80 characters."""
    text = _literal(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _literal(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return f"[{', '.join(_literal(x) for x in value)}]"
    return repr(value)


def parse_scenario(text: str, source: str = "<string>") -> Scenario | Network:
    """Validate TOML text as a scenario of either format; raise ScenarioError listing every
    problem."""
    return validate_data(_toml(text, source), source, text)


MAX_DEPTH = 32
"""Arrays and tables nested deeper than this are refused: a scenario's values are a few levels
deep, and deeper ones would exhaust the recursion of the parser and the validators."""


def _too_deep(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The path of the first value nested deeper than MAX_DEPTH, walked without recursion."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path[:MAX_DEPTH]
        if isinstance(value, dict):
            stack.extend((v, (*path, str(k))) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, str(i))) for i, v in enumerate(value))
    return None


def _toml(text: str, source: str) -> dict[str, Any]:
    deep = Problem((), f"nested more than {MAX_DEPTH} levels deep (arrays or tables)")
    try:
        data = tomllib.loads(text)
    except RecursionError:  # the parser recurses once a level: far beyond any scenario
        raise ScenarioError(source, [deep]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ScenarioError(source, [Problem((), f"not valid TOML: {msg}", line=line)]) from None
    path = _too_deep(data)
    if path is not None:
        raise ScenarioError(source, _located([Problem(path[:2], deep.message)], text))
    return data


def validate_data(data: dict[str, Any], source: str, text: str = "") -> Scenario | Network:
    """Validate already-parsed scenario data (a TOML document as a dict): a format 1 file as a
    Scenario, a format 2 file (``format = 2``) as a Network; a network using a feature this
    version's engine does not run is refused, one problem per feature."""
    form = _format(data, source, text)
    if form == 1:
        return _validated(Scenario, {k: v for k, v in data.items() if k != "format"}, source, text)
    # the network models are built only for format 2 files: format 1 files do not pay for them
    from plantwin.scenario._convert import not_run_yet
    from plantwin.scenario._network import Network

    net = _validated(Network, data, source, text)
    problems = [Problem(r.path, r.message, r.value) for r in not_run_yet(net)]
    if problems:
        raise ScenarioError(source, _located(problems, text))
    return net


def read_stored(text: str) -> Scenario | Network:
    """A scenario kept as JSON by a results store, read under the rules it was saved under
    where later ones are stricter (``STORED``); raises pydantic's ValidationError."""
    import json

    data = json.loads(text)
    if isinstance(data, dict) and data.get("format") == 2:
        from plantwin.scenario._network import Network

        return Network.model_validate(data, context=STORED)
    return Scenario.model_validate(data, context=STORED)


def _format(data: dict[str, Any], source: str, text: str) -> int:
    """The scenario format a document declares: 1 (also when it says nothing) or 2."""
    form = data.get("format", 1)
    if type(form) is int and form in (1, 2):
        return form
    line = _find_line(text, ("format",))
    problem = Problem(
        ("format",), "unknown scenario format; allowed: 1 (the default), 2", form, line
    )
    raise ScenarioError(source, [problem])


def _validated(model: type[_M], data: dict[str, Any], source: str, text: str) -> _M:
    """``data`` validated as ``model``; ScenarioError lists every problem, placed in ``text``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = _problems(exc, model)
    raise ScenarioError(source, _located(problems, text)) from None


def _located(problems: list[Problem], text: str) -> list[Problem]:
    return [
        Problem(p.path, p.message, p.value, p.line or _find_line(text, p.path)) for p in problems
    ]


def parse_network(text: str, source: str = "<string>") -> Network:
    """Validate TOML text as a network: format 2 as it is, format 1 converted."""
    from plantwin.scenario._convert import to_network
    from plantwin.scenario._network import Network

    found = validate_data(_toml(text, source), source, text)
    return found if isinstance(found, Network) else to_network(found)


def load_network(path: str | Path) -> Network:
    """Read a scenario file (either format), or a built-in scenario by name, as a network."""
    text, source = _read(path)
    return parse_network(text, source)


def load_scenario(path: str | Path) -> Scenario | Network:
    """Read and validate a scenario file, or a built-in scenario by name."""
    if not Path(path).exists() and str(path) in builtin_names():
        return builtin(str(path))
    text, source = _read(path)
    return parse_scenario(text, source)


def _read(path: str | Path) -> tuple[str, str]:
    """The text of a scenario file or built-in, and the name its problems are told under."""
    p = Path(path)
    if not p.exists() and str(path) in builtin_names():
        return builtin_text(str(path)), f"<built-in {path}>"
    try:
        return p.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        names = ", ".join(builtin_names())
        raise ScenarioError(
            str(path), [Problem((), f"no such file (built-in scenarios: {names})")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [Problem((), f"cannot read the file: {exc}")]) from None


def builtin_names() -> list[str]:
    """Names of the scenarios that ship with plantwin."""
    files = resources.files("plantwin.scenario") / "builtin"
    return sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))


def builtin_text(name: str) -> str:
    """The TOML text of a built-in scenario."""
    if name not in builtin_names():
        allowed = ", ".join(builtin_names())
        raise ScenarioError(
            name, [Problem((), f"no built-in scenario of that name; known: {allowed}")]
        )
    return (resources.files("plantwin.scenario") / "builtin" / f"{name}.toml").read_text("utf-8")


def builtin(name: str = "maracay") -> Scenario | Network:
    """A built-in scenario, validated."""
    return parse_scenario(builtin_text(name), f"<built-in {name}>")


# --- turning pydantic's errors into problems ------------------------------------------------

# pydantic puts the distribution's tag (and validator wrappers) into error locations
_TAGS = {*DIST_CLASSES, "function-after", "function-before"}


def _problems(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, ReferenceErrors):
            out += [Problem(r.path, r.message, r.value) for r in ctx_error.problems]
            continue
        tags = [x for x in err["loc"] if isinstance(x, str) and x in _TAGS]
        loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x in _TAGS))
        message = _message(err, loc, root, tags[-1] if tags else None)
        out.append(Problem(loc, message, _value(err)))
    return out


def _value(err: Any) -> Any:
    if err["type"] == "missing":
        return None
    if err["type"] == "union_tag_invalid":
        return err["ctx"]["tag"]
    value = err.get("input")
    return None if isinstance(value, dict) else value


def _message(err: Any, loc: Path_, root: type[BaseModel], tag: str | None = None) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        dist = DIST_CLASSES.get(tag or "")
        allowed = list(dist.model_fields) if dist else _fields_at(loc[:-1], root)
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        did = f" (did you mean {hint[0]!r}?)" if hint else ""
        return f"unknown field{did}; allowed here: {', '.join(allowed)}"
    if kind == "union_tag_invalid":
        return f"unknown distribution; allowed: {err['ctx']['expected_tags'].replace(chr(39), '')}"
    if kind == "string_pattern_mismatch":
        return "must be an id: letters, digits, '_', '.' or '-', starting with a letter or digit"
    if kind == "union_tag_not_found":
        return "a distribution needs dist = one of constant, exponential, lognormal, ..."
    msg = msg.removeprefix("Value error, ")
    msg = re.sub(r"^Input should be", "must be", msg)
    return msg


def _model_at(path: Path_, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model class reached by following ``path`` from ``root``, if any."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for a in args or ():
        found = _inner_model(a)
        if found is not None:
            return found
    return None


def _fields_at(path: Path_, root: type[BaseModel]) -> list[str]:
    model = _model_at(path, root)
    return [f.alias or n for n, f in model.model_fields.items()] if model else []


def field_paths(model: type[BaseModel] = Scenario, prefix: str = "") -> list[str]:
    """Every dotted field path under ``model`` (lists shown as ``[i]``), for hints and docs."""
    out = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        out.append(key)
        inner = _inner_model(info.annotation)
        if inner is not None:
            is_list = getattr(info.annotation, "__origin__", None) is list
            out += field_paths(inner, f"{key}[i]." if is_list else f"{key}.")
    return out


# --- finding the line of a field in TOML text -------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")


def _keys(text: str) -> list[str]:
    return [k.strip().strip("\"'") for k in text.split(".")]


def _find_line(text: str, target: Path_) -> int | None:
    """The line of the longest prefix of ``target`` that a key or table header names."""
    if not text or not target:
        return None
    best, best_len = None, 0
    table: list[str | int] = []
    path: list[str | int]
    counts: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0] if '"' not in raw else raw
        header = _HEADER.match(line)
        if header:
            keys = _keys(header.group(2))
            if header.group(1) == "[[":
                counts[tuple(keys)] = counts.get(tuple(keys), -1) + 1
            table = []
            for i, name in enumerate(keys):  # [lines.failures] belongs to the latest [[lines]]
                table.append(name)
                if tuple(keys[: i + 1]) in counts:
                    table.append(counts[tuple(keys[: i + 1])])
            path = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            path = [*table, *_keys(key.group(1))]
        n = _common(path, target)
        if n == len(path) and n > best_len:
            best, best_len = number, n
    return best


def _common(a: list[str | int], b: Path_) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
