"""The token rules and the guard: who may start a server where, and which requests it answers.

A server binds 127.0.0.1 by default and then needs no token; any other address needs one, or
``plantwin serve`` refuses to start (exit 2). With a token every request (API, pages, static
files, the schema) carries it, as a header or as the cookie ``/?token=T`` sets. Without one,
only this machine's host names are answered, and no other site's page may change anything.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plantwin.cli import app as cli
from plantwin.web import LOOPBACK_HOSTS, create_app

from .conftest import LOCAL, wait_for

TOKEN = "s3cret token; with = odd chars"


@pytest.fixture
def guarded(store_url: str) -> Iterator[TestClient]:
    """A client of an app that needs TOKEN, sending none by itself."""
    with TestClient(create_app(store_url, token=TOKEN), base_url="http://plant.example") as c:
        yield c


# --- starting a server --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "plant.example"])
def test_serve_refuses_another_address_without_a_token(host: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PLANTWIN_TOKEN"}
    done = CliRunner().invoke(
        cli, ["serve", "--host", host, "--db", str(tmp_path / "s.db")], env=env
    )
    assert done.exit_code == 2
    assert f"--host {host}" in done.stderr and "--token" in done.stderr
    assert "Traceback" not in done.output + done.stderr
    assert not (tmp_path / "s.db").exists()  # refused before anything was opened


def test_serve_refuses_an_empty_token(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--token", " "])
    assert done.exit_code == 2
    assert "empty" in done.stderr


def test_serve_refuses_an_in_memory_store() -> None:
    done = CliRunner().invoke(cli, ["serve", "--db", "sqlite://"])
    assert done.exit_code == 2
    assert "in-memory" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from plantwin.cli import main; main()", "serve", *args],
        cwd=tmp_path,
        env={**os.environ, "PLANTWIN_DB": str(tmp_path / "store.db"), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _answer(url: str, **kwargs: object) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=10, **kwargs)  # type: ignore[arg-type]
    except httpx.TransportError:
        return None  # not listening yet


def _stop(server: subprocess.Popen[str]) -> str:
    server.send_signal(signal.SIGINT)
    out, _ = server.communicate(timeout=60)
    assert server.returncode == 0, out
    return out


def test_a_server_on_every_address_answers_only_with_its_token(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(
        tmp_path, "--host", "0.0.0.0", "--port", str(port), env={"PLANTWIN_TOKEN": TOKEN}
    )
    try:
        url = f"http://127.0.0.1:{port}/api/scenarios"
        refused = wait_for(lambda: _answer(url), "the server to listen")
        assert refused.status_code == 401
        assert refused.json()["detail"].startswith("this server needs its token")
        ok = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert ok.status_code == 200 and ok.json()[0]["kind"] == "builtin"
    finally:
        out = _stop(server)
    assert "Traceback" not in out


def test_a_server_on_the_loopback_needs_no_token(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, "--port", str(port))
    try:
        url = f"http://127.0.0.1:{port}/api/scenarios"
        ok = wait_for(lambda: _answer(url), "the server to listen")
        assert ok.status_code == 200
        # a name an attacker's page points at 127.0.0.1 (DNS rebinding) is not answered
        rebound = httpx.get(url, headers={"Host": "attacker.example"}, timeout=10)
        assert rebound.status_code == 403
        for name in LOOPBACK_HOSTS:
            host = f"[{name}]" if ":" in name else name
            assert httpx.get(url, headers={"Host": f"{host}:{port}"}).status_code == 200
    finally:
        out = _stop(server)
    assert f"http://127.0.0.1:{port}/" in out


# --- the token on every request -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/scenarios", "/openapi.json", "/", "/results", "/static/app.css", "/nothing"]
)
def test_without_the_token_nothing_is_answered(guarded: TestClient, path: str) -> None:
    answer = guarded.get(path)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["detail"].startswith("this server needs its token")
    wrong = guarded.get(path, headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 401


def test_a_browser_without_the_token_gets_an_html_page(guarded: TestClient) -> None:
    page = guarded.get("/results", headers={"Accept": "text/html,*/*"})
    assert page.status_code == 401
    assert page.headers["content-type"].startswith("text/html")
    assert "token" in page.text and "Traceback" not in page.text
    api = guarded.get("/api/results", headers={"Accept": "text/html,*/*"})
    assert api.headers["content-type"] == "application/json"  # the API always answers JSON


def test_the_token_in_the_header_is_accepted(guarded: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/api/scenarios", headers=auth).status_code == 200
    assert guarded.get("/openapi.json", headers=auth).status_code == 200
    assert guarded.post("/api/validate", json={"source": ""}, headers=auth).status_code == 200


def test_opening_a_page_with_the_token_sets_a_cookie_that_is_then_enough(
    guarded: TestClient,
) -> None:
    wrong = guarded.get("/?token=nope", follow_redirects=False)
    assert wrong.status_code == 401
    assert "set-cookie" not in wrong.headers
    login = guarded.get("/results", params={"kind": "run", "token": TOKEN}, follow_redirects=False)
    assert login.status_code == 303
    assert login.headers["location"] == "/results?kind=run"  # the token leaves the address
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert TOKEN not in cookie  # the cookie holds a value derived from the token
    assert guarded.get("/api/scenarios").status_code == 200  # the client keeps the cookie
    assert guarded.get("/").status_code == 200
    guarded.cookies.clear()
    guarded.cookies.set("plantwin_token", "forged")
    assert guarded.get("/api/scenarios").status_code == 401


def test_another_token_gives_another_cookie(store_url: str) -> None:
    with TestClient(create_app(store_url, token="other"), base_url=LOCAL) as other:
        other.get("/?token=other")
        cookie = other.cookies["plantwin_token"]
    with TestClient(create_app(store_url, token=TOKEN), base_url=LOCAL) as mine:
        mine.cookies.set("plantwin_token", cookie)
        assert mine.get("/api/scenarios").status_code == 401


# --- hosts, origins, headers --------------------------------------------------------------


def test_without_a_token_only_the_loopbacks_names_are_answered(store_url: str) -> None:
    app = create_app(store_url, allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://localhost:8000") as local:
        assert local.get("/api/scenarios").status_code == 200
    with TestClient(app, base_url="http://rebound.example:8000") as rebound:
        answer = rebound.get("/api/scenarios")
        assert answer.status_code == 403
        assert "127.0.0.1" in answer.json()["detail"]


def test_a_change_asked_by_another_sites_page_is_refused(client: TestClient) -> None:
    for origin in ["http://attacker.example", "null", "http://127.0.0.1:9999"]:
        answer = client.put("/api/scenarios/x", json={"source": ""}, headers={"Origin": origin})
        assert answer.status_code == 403, origin
        assert (
            client.post("/api/jobs", json={"kind": "run"}, headers={"Origin": origin}).status_code
            == 403
        )
    assert client.get("/api/jobs").json() == []
    same = client.post("/api/validate", json={"source": ""}, headers={"Origin": LOCAL})
    assert same.status_code == 200
    # reading is allowed (a browser keeps another site from seeing the answer)
    assert client.get("/api/scenarios", headers={"Origin": "http://a.example"}).status_code == 200


def test_every_answer_carries_the_protective_headers(client: TestClient) -> None:
    for answer in [client.get("/api/scenarios"), client.get("/api/results/999"), client.get("/")]:
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-frame-options"] == "SAMEORIGIN"
