"""Fixtures of the web app's tests: an app over a fresh SQLite store, its client, and waits.

Nothing here assumes how fast the machine is: a wait polls a condition up to a generous
deadline, which bounds a hung test and measures nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from plantwin.web import create_app

DEADLINE = 300.0  # seconds: a bound for a hung test, never a measure of speed
LOCAL = "http://127.0.0.1"  # a client of a server without a token is on this machine


def wait_for(condition: Callable[[], Any], what: str) -> Any:
    """Poll ``condition`` until it gives something true; return it."""
    end = time.monotonic() + DEADLINE
    while not (found := condition()):
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)
    return found


def ended_job(client: TestClient, job_id: int) -> dict[str, Any]:
    """The job once it has ended (done, failed, cancelled or interrupted)."""

    def ended() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        return None if job["status"] in ("queued", "running") else job

    result: dict[str, Any] = wait_for(ended, f"job {job_id} to end")
    return result


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    """A client of the app as ``plantwin serve`` starts it (job runner included), no token."""
    with TestClient(create_app(store_url), base_url=LOCAL) as c:
        yield c
