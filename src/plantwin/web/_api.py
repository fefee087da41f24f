"""The JSON API under ``/api``: scenarios, validation, the editor's form, jobs and results.

Every body and answer is a pydantic model, so ``/openapi.json`` describes them all. The work
is the library's (plantwin.scenario, plantwin.service, plantwin.results, plantwin.report); the
routes only check what they are given, call it and shape the answer. Scenario text is parsed
as TOML by the scenario loader, never executed. The routes are plain functions: FastAPI runs
them on its thread pool, so a slow store or report never blocks the event loop.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
import zipfile
from datetime import datetime
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from plantwin.results import JobStatus, Store
from plantwin.scenario import Network, builtin, builtin_names, builtin_text
from plantwin.service import MAX_INT, MAX_LABEL, MAX_REPS, MAX_SEED, check_label, load_source
from plantwin.web._errors import TOO_DEEP, ApiError, ErrorOut, ProblemOut, problems_out
from plantwin.web._form import FormField, form_fields, set_fields
from plantwin.web._jobs import JobRunner

if TYPE_CHECKING:
    from plantwin.results import Job, StoredRun, StoredRunInfo

__all__ = ["MAX_SOURCE", "NAME_PATTERN", "RESERVED_NAMES", "router"]

MAX_SOURCE = 1024 * 1024
"""Bytes (UTF-8) of a scenario's TOML text: a big plant is a few tens of kB."""
NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"
"""A saved scenario's name: letters, digits, ``.``, ``_`` and ``-``, not starting with a dot."""
RESERVED_NAMES = frozenset({"new"})
"""Names the pages use for themselves (``/scenarios/new``), which no scenario may take."""

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": what}
    for status, what in [
        (400, "a malformed request"),
        (404, "no such scenario, job or result"),
        (409, "the request conflicts with what exists (a built-in's name, a finished job)"),
        (413, "the request or its scenario is too large"),
        (422, "the request is invalid (every problem of a scenario listed)"),
    ]
}

router = APIRouter(prefix="/api", responses=_ERRORS)


ResultKind = Literal["run", "experiment"]
Name = Annotated[str, Path(pattern=NAME_PATTERN, description="a scenario's name")]
Id = Annotated[int, Path(ge=1, le=MAX_INT)]
Source = Annotated[str, Field(description=f"TOML text, at most {MAX_SOURCE:,} bytes")]


# --- what the routes need ---------------------------------------------------------------------


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _runner(request: Request) -> JobRunner:
    runner: JobRunner | None = request.app.state.runner
    if runner is None:
        raise ApiError(409, "jobs run only while the server is started (plantwin serve)")
    return runner


StoreDep = Annotated[Store, Depends(_store)]
RunnerDep = Annotated[JobRunner, Depends(_runner)]


def _check_size(source: str) -> None:
    size = len(source.encode("utf-8"))  # UnicodeEncodeError (a lone surrogate): 422
    if size > MAX_SOURCE:
        raise ApiError(413, f"the scenario has {size:,} bytes; at most {MAX_SOURCE:,}")


def _toml(source: str) -> dict[str, Any] | None:
    """The TOML document of ``source``, or None when it is not TOML."""
    try:
        return tomllib.loads(source)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


# --- scenarios ------------------------------------------------------------------------------


class ScenarioItem(BaseModel):
    """A scenario the user can open: built in or saved, with its plant's name and format
    (None for a saved text that no longer reads as a scenario)."""

    name: str
    kind: Literal["builtin", "saved"]
    plant: str | None
    format: int | None
    updated_at: datetime | None


class ScenarioOut(BaseModel):
    """A scenario's TOML text."""

    name: str
    kind: Literal["builtin", "saved"]
    source: str


class ScenarioIn(BaseModel):
    """The TOML text to save."""

    source: Source


@cache
def _builtin_item(name: str) -> ScenarioItem:
    s = builtin(name)
    return ScenarioItem(
        name=name,
        kind="builtin",
        plant=s.plant.name,
        format=2 if isinstance(s, Network) else 1,
        updated_at=None,
    )


def _saved_item(name: str, source: str, updated_at: datetime) -> ScenarioItem:
    data = _toml(source) or {}
    plant = data.get("plant", {}).get("name") if isinstance(data.get("plant"), dict) else None
    form = data.get("format", 1)
    return ScenarioItem(
        name=name,
        kind="saved",
        plant=plant if isinstance(plant, str) else None,
        format=form if form in (1, 2) and type(form) is int else None,
        updated_at=updated_at,
    )


def _source_of(store: Store, name: str) -> ScenarioOut:
    """A built-in's or a saved scenario's text; 404 when there is none of that name."""
    if name in builtin_names():
        return ScenarioOut(name=name, kind="builtin", source=builtin_text(name))
    try:
        return ScenarioOut(name=name, kind="saved", source=store.scenario_source(name))
    except KeyError:
        raise ApiError(404, f"no scenario named {name!r} (built-in or saved)") from None


@router.get("/scenarios")
def list_scenarios(store: StoreDep) -> list[ScenarioItem]:
    """The built-in scenarios, then the saved ones by name."""
    saved = [
        _saved_item(s.name, store.scenario_source(s.name), s.updated_at)
        for s in store.list_scenarios()
    ]
    return [*(_builtin_item(n) for n in builtin_names()), *saved]


@router.get("/scenarios/{name}")
def get_scenario(name: Name, store: StoreDep) -> ScenarioOut:
    """A scenario's TOML text, comments and all."""
    return _source_of(store, name)


@router.put("/scenarios/{name}")
def put_scenario(name: Name, body: ScenarioIn, store: StoreDep) -> ScenarioItem:
    """Save a scenario under ``name`` (a new one, or replacing the saved one) when it
    validates; 422 with every problem and its line otherwise."""
    if name in builtin_names() or name in RESERVED_NAMES:
        raise ApiError(409, f"{name!r} is a built-in scenario's name; save under another name")
    _check_size(body.source)
    load_source(body.source, name)  # BadInput: 422 with its problems
    store.save_scenario(name, body.source)
    saved = next(s for s in store.list_scenarios() if s.name == name)
    return _saved_item(name, body.source, saved.updated_at)


@router.delete("/scenarios/{name}", status_code=204)
def delete_scenario(name: Name, store: StoreDep) -> Response:
    """Delete a saved scenario (built-ins stay)."""
    if name in builtin_names():
        raise ApiError(409, f"{name!r} is built in and cannot be deleted")
    store.delete_scenario(name)  # ScenarioNotFoundError: 404
    return Response(status_code=204)


# --- the editor: validation and form ------------------------------------------------------


class ValidateIn(BaseModel):
    """A scenario's text to check, and the name its messages call it by."""

    source: Source
    name: str | None = Field(default=None, max_length=64)


class ValidateOut(BaseModel):
    """Whether the text is a valid scenario, every problem (with its line) and warnings."""

    ok: bool
    problems: list[ProblemOut]
    warnings: list[ProblemOut]


@router.post("/validate")
def validate(body: ValidateIn) -> ValidateOut:
    """Check a scenario's text as ``plantwin validate`` does, with the same messages."""
    from plantwin.scenario import Problem, network_warnings
    from plantwin.service import BadInput

    _check_size(body.source)
    name = body.name or "scenario"
    try:
        scenario = load_source(body.source, name).scenario
    except BadInput as exc:
        return ValidateOut(ok=False, problems=problems_out(exc.problems), warnings=[])
    except RecursionError:
        return ValidateOut(ok=False, problems=[_too_deep()], warnings=[])
    warnings = []
    if isinstance(scenario, Network):
        found = [
            Problem(w.path, f"warning: {w.message}", w.value) for w in network_warnings(scenario)
        ]
        warnings = problems_out(found)
    return ValidateOut(ok=True, problems=[], warnings=warnings)


def _too_deep() -> ProblemOut:
    return ProblemOut(line=None, field="(top level)", message=TOO_DEEP)


class FormIn(BaseModel):
    """A scenario's text and the fields to set in it (``PATH: value``, paths as ``--set``
    takes them; ``horizon`` for ``plant.horizon``; a string is read as a TOML literal)."""

    source: Source
    fields: dict[str, str | int | float | bool] = Field(default={}, max_length=200)


class FormOut(BaseModel):
    """The text with the fields set (comments kept), its form fields, and its problems."""

    source: str
    fields: list[FormField]
    problems: list[ProblemOut]


@router.post("/form")
def form(body: FormIn) -> FormOut:
    """Set the form's fields in a scenario's text; with no fields, just list them. The text
    that results is validated: its problems come with it, at their lines."""
    _check_size(body.source)
    source = set_fields(body.source, body.fields) if body.fields else body.source
    _check_size(source)
    checked = validate(ValidateIn(source=source))
    return FormOut(
        source=source, fields=form_fields(_toml(source) or {}), problems=checked.problems
    )


@router.get("/form-fields")
def get_form_fields(
    store: StoreDep, name: Annotated[str, Query(pattern=NAME_PATTERN)]
) -> list[FormField]:
    """The common fields of a built-in or saved scenario, with their values in its text."""
    return form_fields(_toml(_source_of(store, name).source) or {})


# --- jobs ------------------------------------------------------------------------------------


class JobIn(BaseModel):
    """A run or an experiment to start in the background. ``source`` (TOML text) wins over
    the named scenario; ``reps``, ``sweeps`` and ``compare`` are for experiments."""

    kind: ResultKind
    scenario: str = Field(default="maracay", pattern=NAME_PATTERN)
    source: Source | None = None
    seed: int = Field(default=1, ge=0, le=MAX_SEED)
    horizon: str | None = Field(default=None, max_length=32)
    sets: list[Annotated[str, Field(max_length=1000)]] = Field(default=[], max_length=100)
    reps: int = Field(default=10, ge=1, le=MAX_REPS)
    sweeps: list[Annotated[str, Field(max_length=1000)]] = Field(default=[], max_length=20)
    compare: bool = False
    label: str | None = Field(default=None, max_length=MAX_LABEL)


class JobOut(BaseModel):
    """A background job: its status, progress (``done`` of ``total``) and, once done, the id
    of its stored result. ``request`` is what was asked, without the scenario's text."""

    id: int
    kind: ResultKind
    status: JobStatus
    request: dict[str, Any]
    done: int
    total: int
    message: str | None
    result_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _job_out(job: Job) -> JobOut:
    request = {k: v for k, v in job.request.items() if k != "source"}
    return JobOut(**{**vars(job), "request": request})


@router.post("/jobs", status_code=202)
def start_job(body: JobIn, store: StoreDep, runner: RunnerDep) -> JobOut:
    """Start a run or an experiment; the request is checked first (422, and no job), then it
    runs in a worker process. Follow it with GET /api/jobs/{id}."""
    if body.source is None:
        _source_of(store, body.scenario)  # 404 for a name that is neither built in nor saved
    else:
        _check_size(body.source)
    check_label(body.label)
    request = body.model_dump(exclude={"kind"}, exclude_none=True)
    if body.kind == "experiment":
        request["workers"] = 1
    else:
        for key in ("reps", "sweeps", "compare"):
            request.pop(key)
    return _job_out(store.job(runner.submit(body.kind, request)))


@router.get("/jobs")
def list_jobs(store: StoreDep) -> list[JobOut]:
    """Every job, oldest first."""
    return [_job_out(j) for j in store.list_jobs()]


@router.get("/jobs/{job_id}")
def get_job(job_id: Id, store: StoreDep) -> JobOut:
    """A job's status and progress."""
    return _job_out(store.job(job_id))


@router.post("/jobs/{job_id}/cancel")
def cancel_job(job_id: Id, runner: RunnerDep) -> JobOut:
    """Cancel a queued or running job (its workers are stopped, nothing is saved); a job that
    has ended is answered as it is."""
    return _job_out(runner.cancel(job_id))  # JobNotFoundError: 404


# --- results ---------------------------------------------------------------------------------


class ResultInfo(BaseModel):
    """A stored run or experiment: what ran, when, and its headline KPIs (an experiment's:
    its base variant's means)."""

    id: int
    kind: ResultKind
    scenario: str
    label: str | None
    horizon_hours: float
    seed: int
    replications: int | None
    overrides: dict[str, list[str]]
    finished_at: datetime
    units_stored: float | None
    attainment: float | None
    fill_rate: float | None


class ResultOut(BaseModel):
    """A stored result and all its KPIs (a run's, or an experiment's summary per variant)."""

    info: ResultInfo
    kpis: dict[str, Any]


class LabelIn(BaseModel):
    """A result's new label (None or empty: no label)."""

    label: str | None = Field(max_length=MAX_LABEL)


def _listed(i: StoredRunInfo) -> ResultInfo:
    return ResultInfo(
        id=i.id,
        kind=i.kind,
        scenario=i.scenario_name,
        label=i.label,
        horizon_hours=i.horizon_hours,
        seed=i.seed,
        replications=i.replications,
        overrides=i.overrides or {},
        finished_at=i.finished_at,
        units_stored=i.units_stored,
        attainment=i.attainment,
        fill_rate=i.fill_rate,
    )


def _info(s: StoredRun) -> ResultInfo:
    headline = s.headline()
    return ResultInfo(
        id=s.id or 0,
        kind=s.kind,
        scenario=s.scenario.plant.name,
        label=s.label,
        horizon_hours=s.horizon_hours,
        seed=s.seed,
        replications=s.replications,
        overrides=s.overrides or {},
        finished_at=s.finished_at,
        units_stored=headline["units_good"],
        attainment=headline["attainment"],
        fill_rate=headline["fill_rate"],
    )


def _contains(text: str | None, part: str | None) -> bool:
    return part is None or part.casefold() in (text or "").casefold()


@router.get("/results")
def list_results(
    store: StoreDep,
    kind: ResultKind | None = None,
    scenario: Annotated[str | None, Query(max_length=200)] = None,
    label: Annotated[str | None, Query(max_length=MAX_LABEL)] = None,
) -> list[ResultInfo]:
    """The stored runs and experiments, oldest first; ``scenario`` and ``label`` keep those
    whose plant name or label contains the text (any case)."""
    return [
        _listed(i)
        for i in store.list_runs()
        if (kind is None or i.kind == kind)
        and _contains(i.scenario_name, scenario)
        and _contains(i.label, label)
    ]


@router.get("/results/{result_id}")
def get_result(result_id: Id, store: StoreDep) -> ResultOut:
    """A stored result's description and KPIs."""
    stored = store.load(result_id)
    return ResultOut(info=_info(stored), kpis=stored.kpis)


@router.patch("/results/{result_id}")
def label_result(result_id: Id, body: LabelIn, store: StoreDep) -> ResultInfo:
    """Set or clear a result's label (one line)."""
    store.set_label(result_id, check_label(body.label))
    return next(_listed(i) for i in store.list_runs() if i.id == result_id)


@router.delete("/results/{result_id}", status_code=204)
def delete_result(result_id: Id, store: StoreDep) -> Response:
    """Delete a stored result and its data."""
    store.delete(result_id)
    return Response(status_code=204)


# the routes that answer files keep the JSON default: their errors are JSON, as documented
@router.get(
    "/results/{result_id}/report",
    responses={200: {"content": {"text/html": {}}, "description": "the report, one page"}},
)
def report(result_id: Id, store: StoreDep) -> HTMLResponse:
    """The result's self-contained HTML report (charts work offline)."""
    from plantwin.report import render_report

    stored = store.load(result_id)
    try:
        page = render_report(stored)
    except ValueError as exc:
        raise ApiError(409, f"this result cannot give a report: {exc}") from None
    name = f"run-{result_id}.html"
    return HTMLResponse(page, headers={"content-disposition": f'inline; filename="{name}"'})


_EXPORTS: dict[str, tuple[str, str]] = {  # format: (file name's end, media type)
    "parquet": ("-parquet.zip", "application/zip"),
    "csv": ("-csv.zip", "application/zip"),
    "ocel": (".ocel.json", "application/json"),
    "ocel-sqlite": (".ocel.sqlite", "application/vnd.sqlite3"),
}


@router.get(
    "/results/{result_id}/export",
    responses={
        200: {
            "content": {media: {} for _, media in _EXPORTS.values()},
            "description": "a zip of the Parquet or CSV tables, or the OCEL 2.0 file",
        }
    },
)
def export(
    result_id: Id,
    store: StoreDep,
    format: Literal["parquet", "csv", "ocel", "ocel-sqlite"] = "parquet",
) -> FileResponse:
    """Download a result's tables (Parquet or CSV, zipped) or its OCEL 2.0 event log."""
    from plantwin.results import export_run

    stored = store.load(result_id)
    folder = FilePath(tempfile.mkdtemp(prefix="plantwin-export-"))
    end, media = _EXPORTS[format]
    name = f"run-{result_id}{end}"
    try:
        if format in ("parquet", "csv"):
            files = export_run(stored, format, folder / "tables")
            with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as z:
                for f in files:
                    z.write(f, f"run-{result_id}/{f.name}")
        else:
            export_run(stored, format, folder / name)
    except ValueError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ApiError(409, str(exc)) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        folder / name,
        media_type=media,
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


class CompareRow(BaseModel):
    """One headline KPI of two results: its words, unit, values and the difference b - a."""

    kpi: str
    label: str
    unit: str
    a: float | None
    b: float | None
    difference: float | None


class CompareOut(BaseModel):
    """Two results side by side."""

    a: ResultInfo
    b: ResultInfo
    rows: list[CompareRow]


@router.get("/compare")
def compare(
    store: StoreDep,
    a: Annotated[int, Query(ge=1, le=MAX_INT)],
    b: Annotated[int, Query(ge=1, le=MAX_INT)],
) -> CompareOut:
    """The headline KPIs of two results side by side (an experiment's: base-variant means)."""
    from plantwin.kpis import EXPERIMENT_KPIS, kpi_label, kpi_unit

    first, second = store.load(a), store.load(b)
    rows = []
    for kpi in EXPERIMENT_KPIS:
        x, y = first.kpi(kpi), second.kpi(kpi)
        unit = kpi_unit(kpi, first.scenario.plant.unit)
        difference = None if x is None or y is None else y - x
        rows.append(CompareRow(kpi=kpi, label=kpi_label(kpi), unit=unit, a=x, b=y,
                               difference=difference))  # fmt: skip
    return CompareOut(a=_info(first), b=_info(second), rows=rows)
