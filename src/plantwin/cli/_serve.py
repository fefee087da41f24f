"""``plantwin serve``: the web app, for the people who do not live in a terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from plantwin.cli._common import err_console, fail, literal, shell
from plantwin.cli._results import DbOption

__all__ = ["serve"]


@shell
def serve(
    host: Annotated[
        str, typer.Option(help="address to listen on; any but the loopback needs --token")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="PLANTWIN_TOKEN",
            show_envvar=True,
            help="secret every request must carry (header 'Authorization: Bearer T', or open "
            "/?token=T once in the browser)",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web app: scenarios, an editor, runs and experiments as background jobs with
    their progress, the results, reports and downloads. Ctrl-C stops it (running jobs too)."""
    try:
        import uvicorn

        from plantwin.web import LOOPBACK_HOSTS, check_bind, create_app
    except ImportError as exc:
        fail(f"plantwin serve needs the web extra ({exc}): pip install 'plantwin[web]'")
    try:
        check_bind(host, token)
    except ValueError as exc:
        fail(str(exc))
    from plantwin.results import resolve_url

    # without a token only this machine's names are answered (no DNS rebinding)
    hosts = None if token else [*LOOPBACK_HOSTS, host]
    app = create_app(db, token=token, allowed_hosts=hosts)
    where = f"[{host}]" if ":" in host else host
    login = "/?token=YOUR-TOKEN once" if token else "/"
    err_console.print(
        f"plantwin: serving http://{literal(where)}:{port}{login}, results in "
        f"{resolve_url(db)}; Ctrl-C stops"
    )
    uvicorn.run(app, host=host, port=port, log_level="info")
