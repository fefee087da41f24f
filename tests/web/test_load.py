"""50 concurrent requests against a real server (``plantwin serve`` in a subprocess) while an
experiment job runs: every request is answered correctly, and the experiment still finishes.

Nothing is timed against a limit: the experiment is long enough that the requests overlap it
(checked: the job is seen running by requests of the burst), and waits have generous deadlines.
With ``PLANTWIN_LOAD_FIGURES`` set to a file, the figures (latencies, the experiment's wall
time) are written there as JSON for the notes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from plantwin.scenario import builtin_text

from .conftest import wait_for

CONCURRENT = 50
REPS = 100  # one-year replications of maracay: a job that lasts while the burst is served


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The base URL of ``plantwin serve`` on a free loopback port, over a fresh store."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from plantwin.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env={**os.environ, "PLANTWIN_DB": str(tmp_path / "store.db")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/api/scenarios", timeout=10).status_code == 200
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()[0]
            return False

    try:
        wait_for(up, "the server to listen")
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=120)
        assert "Traceback" not in out, out


def _requests(url: str, job_id: int) -> list[Callable[[httpx.Client], tuple[int, Any]]]:
    """A mix of what browsers ask while a job runs: lists, a job's progress, validation, the
    form, pages."""
    source = builtin_text("maracay")

    def get(path: str) -> Callable[[httpx.Client], tuple[int, Any]]:
        def call(c: httpx.Client) -> tuple[int, Any]:
            r = c.get(url + path)
            return r.status_code, r.json() if r.headers[
                "content-type"
            ] == "application/json" else r.text

        return call

    def post(path: str, body: dict[str, Any]) -> Callable[[httpx.Client], tuple[int, Any]]:
        def call(c: httpx.Client) -> tuple[int, Any]:
            r = c.post(url + path, json=body)
            return r.status_code, r.json()

        return call

    mix = [
        get(f"/api/jobs/{job_id}"),
        get("/api/jobs"),
        get("/api/scenarios"),
        get("/api/results"),
        get("/api/form-fields?name=maracay"),
        post("/api/validate", {"source": source}),
        post("/api/form", {"source": source, "fields": {"horizon": "90d"}}),
        get("/"),
        get(f"/jobs/{job_id}"),
        get("/openapi.json"),
    ]
    return [mix[i % len(mix)] for i in range(CONCURRENT)]


def test_fifty_concurrent_requests_while_an_experiment_runs(server: str) -> None:
    with httpx.Client(timeout=120) as c:
        start = time.monotonic()
        job = c.post(
            f"{server}/api/jobs",
            json={"kind": "experiment", "scenario": "maracay", "reps": REPS, "seed": 7},
        ).json()
        barrier = threading.Barrier(CONCURRENT)

        def send(call: Callable[[httpx.Client], tuple[int, Any]]) -> tuple[int, Any, float]:
            barrier.wait()  # all at once
            began = time.monotonic()
            status, body = call(c)
            return status, body, time.monotonic() - began

        burst = time.monotonic()

        with ThreadPoolExecutor(CONCURRENT) as pool:
            answers = list(pool.map(send, _requests(server, job["id"])))
        burst = time.monotonic() - burst
        failed = [(status, body) for status, body, _ in answers if status != 200]
        assert failed == []
        seen = {
            b["status"] for _, b, _ in answers if isinstance(b, dict) and b.get("id") == job["id"]
        }
        assert seen & {"queued", "running"}, seen  # the burst came while the job ran

        def ended() -> dict[str, Any] | None:
            got: dict[str, Any] = c.get(f"{server}/api/jobs/{job['id']}").json()
            return None if got["status"] in ("queued", "running") else got

        done = wait_for(ended, "the experiment to end")
        wall = time.monotonic() - start
        assert done["status"] == "done", done
        assert done["done"] == done["total"] == REPS
        result = c.get(f"{server}/api/results/{done['result_id']}").json()
        assert result["info"]["replications"] == REPS
    latencies = sorted(t for _, _, t in answers)
    figures = {
        "concurrent_requests": CONCURRENT,
        "failed": len(failed),
        "burst_s": burst,  # from the first request sent to the last answer
        "requests_per_s": CONCURRENT / burst,
        "latency_s": {
            "median": statistics.median(latencies),
            "p95": latencies[int(0.95 * (len(latencies) - 1))],
            "max": latencies[-1],
        },
        "experiment": {"replications": REPS, "horizon": "1y", "wall_s": wall},
    }
    out = os.environ.get("PLANTWIN_LOAD_FIGURES")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
