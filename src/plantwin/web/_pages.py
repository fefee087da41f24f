"""The web app's HTML pages: rendered by Jinja2 on the server, updated by plain JavaScript that
calls the JSON API (``/api``); their stylesheet, scripts and Plotly's JavaScript are served from
the package, so the app needs nothing from the internet.

Every page reads the store ``create_app`` keeps open in ``app.state.store``. A page for
something that does not exist is a 404 page; no error ever shows a trace.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined

from plantwin.service import MAX_INT

if TYPE_CHECKING:
    from plantwin.results import Store, StoredRun

__all__ = ["error_page", "pages_router"]

pages_router = APIRouter(include_in_schema=False)
"""The HTML pages and their static files; ``create_app`` includes it."""

_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_STATIC_NAME = re.compile(r"[a-z0-9-]{1,40}\.(css|js)")
EXPORT_FORMATS = ("parquet", "csv", "ocel", "ocel-sqlite")
KEY_CHARTS = {
    "run": ("chart-output", "chart-waterfall"),
    "experiment": ("chart-fan", "chart-kpi-0"),
}
"""The charts the comparison page shows of each side, by the report's chart ids."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("plantwin.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a name the page does not have is an error, not blank
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _environment().get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """The HTML page of an error: its status and message (escaped), never a trace."""
    titles = {400: "Bad request", 401: "Not authorised", 404: "Not found"}
    title = titles.get(status_code, "Error")
    return _page(request, "error.html.j2", status_code, title=title, message=message, nav="")


class _NotShown(Exception):
    """Raised by a page that cannot be shown: the error page answers with its status."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def _page_route(route: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """``route`` answering :class:`_NotShown` with the error page (FastAPI reads the wrapped
    function's signature)."""

    @functools.wraps(route)
    def answer(**params: Any) -> HTMLResponse:
        try:
            return route(**params)
        except _NotShown as exc:
            return error_page(params["request"], exc.status_code, exc.message)

    return answer


def _store(request: Request) -> Store:
    """The app's store, opened by ``create_app`` for the app's life (not to be closed here)."""
    store: Store = request.app.state.store
    return store


def _id(text: str | None, what: str) -> int:
    """A result's or job's id from the URL; 404 when the text cannot be one."""
    if text is None or not text.isascii() or not text.isdigit() or int(text) > MAX_INT:
        raise _NotShown(404, f"there is no {what} {text!r}")
    return int(text)


@pages_router.get("/", response_class=HTMLResponse)
def scenarios_page(request: Request) -> HTMLResponse:
    """The scenarios, built-in and saved (listed by the page's script from the API)."""
    from plantwin.scenario import builtin_names

    return _page(
        request, "scenarios.html.j2", title="Scenarios", nav="scenarios", builtins=builtin_names()
    )


@pages_router.get("/scenarios/new", response_class=HTMLResponse)
@_page_route
def new_scenario_page(request: Request, start: str = "maracay") -> HTMLResponse:
    """The editor on a copy of the built-in scenario ``start``, to save under a new name."""
    from plantwin.scenario import builtin_names, builtin_text

    if start not in builtin_names():
        raise _NotShown(404, f"there is no built-in scenario {start!r}")
    return _editor(request, "", "new", builtin_text(start), start)


@pages_router.get("/scenarios/{name}", response_class=HTMLResponse)
@_page_route
def editor_page(request: Request, name: str) -> HTMLResponse:
    """The editor of a built-in (saved only under a new name) or saved scenario."""
    from plantwin.scenario import builtin_names, builtin_text

    if name in builtin_names():
        return _editor(request, name, "builtin", builtin_text(name), name)
    try:
        source = _store(request).scenario_source(name)
    except KeyError:
        raise _NotShown(404, f"there is no scenario {name!r}") from None
    return _editor(request, name, "saved", source, name)


def _editor(request: Request, name: str, kind: str, source: str, origin: str) -> HTMLResponse:
    title = f"Scenario {name}" if name else "New scenario"
    return _page(
        request,
        "editor.html.j2",
        title=title,
        nav="scenarios",
        name=name,
        kind=kind,
        source=source,
        origin=origin,
    )


@pages_router.get("/jobs/{job_id}", response_class=HTMLResponse)
@_page_route
def job_page(request: Request, job_id: str) -> HTMLResponse:
    """A job's live progress (the page's script polls the API), its cancel button and result."""
    number = _id(job_id, "job")
    try:
        job = _store(request).job(number)
    except KeyError:
        raise _NotShown(404, f"there is no job {job_id!r}") from None
    return _page(request, "job.html.j2", title=f"Job {number}", nav="results", job=job)


@pages_router.get("/results", response_class=HTMLResponse)
def results_page(request: Request) -> HTMLResponse:
    """The stored results: filter, label, delete, pick two to compare (the script lists them)."""
    return _page(request, "results.html.j2", title="Results", nav="results")


def _stored(request: Request, text: str | None) -> StoredRun:
    """The stored run or experiment ``text`` names; 404 when there is none."""
    from plantwin.results import RunNotFoundError

    number = _id(text, "result")
    try:
        return _store(request).load(number)
    except RunNotFoundError:
        raise _NotShown(404, f"there is no result {text!r}") from None


def _body(stored: StoredRun, **options: Any) -> str:
    """The report's contents for ``stored``; 400 when the report cannot be made of it."""
    from plantwin.report import render_report_body

    try:
        return render_report_body(stored, **options)
    except ValueError as exc:
        raise _NotShown(400, f"result {stored.id}: {exc}") from exc


@pages_router.get("/results/{result_id}", response_class=HTMLResponse)
@_page_route
def result_page(request: Request, result_id: str) -> HTMLResponse:
    """A run's or experiment's page: the report's tables and charts, label, downloads."""
    stored = _stored(request, result_id)
    return _page(
        request,
        "result.html.j2",
        title=f"{stored.kind.capitalize()} {stored.id}",
        nav="results",
        stored=stored,
        body=_body(stored),
        formats=EXPORT_FORMATS,
    )


@pages_router.get("/compare", response_class=HTMLResponse)
@_page_route
def compare_page(request: Request, a: str | None = None, b: str | None = None) -> HTMLResponse:
    """Two results side by side: their headline KPIs (from the API) and each one's key charts."""
    sides = [_stored(request, a), _stored(request, b)]
    return _page(
        request,
        "compare.html.j2",
        title=f"Result {sides[0].id} beside result {sides[1].id}",
        nav="results",
        sides=[
            (s, _body(s, charts=KEY_CHARTS[s.kind], tables=False, prefix=f"{side}-"))
            for side, s in zip("ab", sides, strict=True)
        ],
    )


@cache
def _plotly_js() -> bytes:
    import plotly.offline

    js: str = plotly.offline.get_plotlyjs()
    return js.encode("utf-8")


@pages_router.get("/static/plotly.min.js")
def plotly_js() -> Response:
    """Plotly's JavaScript, from the plotly package (nothing is fetched from the internet)."""
    return Response(
        _plotly_js(),
        media_type=_STATIC_TYPES[".js"],
        headers={"Cache-Control": "public, max-age=86400"},
    )


@pages_router.get("/static/{name}")
def static_file(request: Request, name: str) -> Response:
    """The pages' stylesheet and scripts, from the package's ``static`` folder."""
    path = resources.files("plantwin.web") / "static" / name
    if not _STATIC_NAME.fullmatch(name) or not path.is_file():
        return error_page(request, 404, f"there is no file {name!r}")
    return Response(path.read_bytes(), media_type=_STATIC_TYPES[name[name.rindex(".") :]])
