"""Errors as JSON: every failure answers ``{"detail": message}``, and never a stack trace.

The service's errors carry messages written for users; they are passed on as they are. A bad
scenario adds its problems one by one (line, field, message), so that an editor can mark them.
Anything unexpected is logged on the server and answered 500 ``{"detail": "internal error"}``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from plantwin.results import StoreError
from plantwin.scenario import format_path
from plantwin.service import BadInput, ServiceError
from plantwin.web._security import HtmlPage

if TYPE_CHECKING:
    from plantwin.scenario import Problem

__all__ = ["TOO_DEEP", "ApiError", "ErrorOut", "ProblemOut", "install_handlers", "problems_out"]

log = logging.getLogger("plantwin.web")

TOO_DEEP = "the scenario is nested too deeply to read (arrays or tables inside each other)"


class ProblemOut(BaseModel):
    """One problem of a scenario: its line in the TOML (when known), the field, and the
    message with the bad value, as ``plantwin validate`` prints them."""

    line: int | None
    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error answer: the message, and a bad scenario's problems."""

    detail: str
    problems: list[ProblemOut] | None = None


class ApiError(Exception):
    """An answer other than success, with its status code and message."""

    def __init__(
        self, status: int, detail: str, problems: Iterable[ProblemOut] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = None if problems is None else list(problems)


def problems_out(problems: Iterable[Problem]) -> list[ProblemOut]:
    """Scenario problems as the API shows them."""
    out = []
    for p in problems:
        field = format_path(p.path) or "(top level)"
        # the message with the bad value, as the CLI prints it, without the place
        bare = dataclasses.replace(p, line=None).describe("")
        out.append(
            ProblemOut(
                line=p.line,
                field=field,
                message=bare.removeprefix(f": {field}: "),
            )
        )
    return out


def _answer(status: int, detail: str, problems: list[ProblemOut] | None = None) -> JSONResponse:
    body = ErrorOut(detail=detail, problems=problems)
    content = body.model_dump(exclude={"problems"} if problems is None else None)
    return JSONResponse(content, status_code=status)


def _validation_detail(exc: RequestValidationError) -> str:
    """FastAPI's list of validation errors as one sentence per error: ``where: what``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_handlers(app: FastAPI, html_page: HtmlPage | None = None) -> None:
    """Answer every exception as JSON: ours, the service's, the store's, FastAPI's and the
    unexpected. ``html_page`` answers a browser that asks for an unknown page."""

    async def api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return _answer(exc.status, exc.detail, exc.problems)

    async def service_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        if isinstance(exc, BadInput):
            problems = problems_out(exc.problems) if exc.problems else None
            return _answer(422, exc.message, problems)
        log.error("request failed: %s", exc.message)
        return _answer(500, exc.message)

    async def store_error(_: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, LookupError):  # no such run, job or saved scenario
            return _answer(404, str(exc))
        log.error("store error: %s", exc)
        return _answer(500, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        page = not request.url.path.startswith("/api/") and html_page is not None
        if page and "text/html" in request.headers.get("accept", ""):
            assert html_page is not None
            return html_page(request, exc.status_code, detail)  # a browser's unknown address
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _answer(422, _validation_detail(exc))

    async def too_deep(_: Request, exc: Exception) -> JSONResponse:
        # the TOML reader and the validators recurse: a scenario nested hundreds deep
        return _answer(422, TOO_DEEP)

    async def not_text(_: Request, exc: Exception) -> JSONResponse:
        # JSON may escape half a character ("\\ud800"), which no store or file can hold
        return _answer(422, "the request has text that is not valid Unicode (a lone surrogate)")

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _answer(500, "internal error")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(RecursionError, too_deep)
    app.add_exception_handler(UnicodeError, not_text)
    app.add_exception_handler(Exception, unexpected)
