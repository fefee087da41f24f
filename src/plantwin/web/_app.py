"""The web app: the JSON API, the pages, and the guard every request passes.

One store is opened for the app's life (SQLAlchemy's pool serves the request threads); the job
runner is started with the server (it marks the jobs a previous server left as interrupted)
and closed with it (running jobs are stopped and marked cancelled).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from plantwin import __version__
from plantwin.service import open_store
from plantwin.web._api import router
from plantwin.web._errors import install_handlers
from plantwin.web._jobs import JobRunner
from plantwin.web._pages import error_page, pages_router
from plantwin.web._security import Guard

__all__ = ["create_app"]


def create_app(
    url: str | None = None,
    *,
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The app over the results store at ``url`` (None: ``$PLANTWIN_DB`` or ``./plantwin.db``).

    With ``token``, every request must carry it (header ``Authorization: Bearer T``, or the
    cookie ``/?token=T`` sets). ``allowed_hosts``: the only Host names answered (``plantwin
    serve`` gives the loopback's when it runs without a token). BadInput for a store that
    cannot be opened or is in memory (jobs run in other processes, which could not see it)."""
    from plantwin.results import resolve_url

    store = open_store(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = JobRunner(resolve_url(url))
        runner.recover()
        app.state.runner = runner
        try:
            yield
        finally:
            app.state.runner = None
            runner.close()
            store.close()

    app = FastAPI(
        title="plantwin",
        version=__version__,
        description="A digital twin of a manufacturing plant: scenarios, runs, experiments, "
        'results. Every error is JSON {"detail": message}.',
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from the internet
        redoc_url=None,
    )
    app.state.store_url = url
    app.state.store = store
    app.state.runner = None
    install_handlers(app, error_page)
    app.include_router(router)
    app.include_router(pages_router)
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts, html_page=error_page)
    return app
