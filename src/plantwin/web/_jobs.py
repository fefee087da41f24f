"""Background jobs: runs and experiments in worker processes, their state in the results store.

The server never simulates in its own process: each job runs in a worker process started from
a fork server (the server has threads, so it never forks itself), which makes itself the leader
of a new process group, so that stopping the group stops the job and an experiment's own pool.
Everything a browser sees of a job (status, progress, result) is in the ``jobs`` table, so a
reload, a second browser or a restarted server see the same. A job's result is saved in the
same transaction that marks it done, and only while it is still running: a cancelled or killed
job leaves its whole result or nothing, and never touches what the store had.

A monitor thread waits on the workers: one that ends without ending its job (killed, or
crashed) has its job marked failed, and the next queued job starts in its place.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from time import monotonic
from typing import TYPE_CHECKING, Any, cast

from plantwin.results import ACTIVE_STATUSES, JobStatus, StoreError
from plantwin.service import (
    MAX_REPS,
    MAX_SEED,
    BadInput,
    ServiceError,
    check_label,
    load_source,
    open_store,
    plan_experiment,
    run,
    run_experiment,
)

if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext, SpawnContext

    from plantwin.results import Job, Kind, Store
    from plantwin.service import LoadedScenario

__all__ = ["JobRunner"]

_KINDS = ("run", "experiment")
_FIELDS = {
    "run": ("scenario", "source", "seed", "horizon", "sets", "label"),
    "experiment": ("reps", "sweeps", "compare", "workers"),  # an experiment's, besides a run's
}
_RUN_TOTAL = 100  # a run's progress is the percentage of its horizon simulated
_PROGRESS_INTERVAL = 0.25  # seconds between two progress writes of a job


def _now() -> datetime:
    return datetime.now(UTC)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class _Request:
    """A job's request, every field checked and defaulted (see :func:`_request`)."""

    kind: Kind
    scenario: str
    source: str | None
    seed: int
    horizon: str | None
    sets: tuple[str, ...]
    label: str | None
    reps: int
    sweeps: tuple[str, ...]
    compare: bool
    workers: int

    def as_json(self) -> dict[str, Any]:
        """The request as it is stored with its job (a run without an experiment's fields)."""
        fields = _FIELDS["run"] + (_FIELDS["experiment"] if self.kind == "experiment" else ())
        out = {name: getattr(self, name) for name in fields}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def _int(request: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = request.get(name)
    if value is None:
        return default
    if type(value) is not int or not low <= value <= high:
        raise BadInput(f"{name} must be a whole number from {low} to {high:,}, got {_show(value)}")
    return value


def _text(request: Mapping[str, Any], name: str) -> str | None:
    value = request.get(name)
    if value is not None and not isinstance(value, str):
        raise BadInput(f"{name} must be text, got {_show(value)}")
    return value


def _texts(request: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = request.get(name)
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise BadInput(f"{name} must be a list of PATH=VALUE texts, got {_show(value)}")
    return tuple(value)


def _request(kind: str, request: Mapping[str, Any]) -> _Request:
    """The request of a job checked field by field (BadInput names the field and the value).

    A run accepts an experiment's fields and ignores them, so that one form can ask for both;
    a field of neither is refused."""
    if kind not in _KINDS:
        raise BadInput(f"kind must be 'run' or 'experiment', got {_show(kind)}")
    known = _FIELDS["run"] + _FIELDS["experiment"]
    unknown = sorted(str(k) for k in request if k not in known)
    if unknown:
        raise BadInput(f"unknown field {_show(unknown[0])}; allowed: {', '.join(known)}")
    source = _text(request, "source")
    scenario = _text(request, "scenario")
    if not scenario:
        if source is None:
            raise BadInput("scenario: name a built-in or saved scenario, or give its source")
        scenario = "scenario"
    compare = request.get("compare")
    if compare is not None and not isinstance(compare, bool):
        raise BadInput(f"compare must be true or false, got {_show(compare)}")
    return _Request(
        kind=cast("Kind", kind),
        scenario=scenario,
        source=source,
        seed=_int(request, "seed", 1, 0, MAX_SEED),
        horizon=_text(request, "horizon") or None,
        sets=_texts(request, "sets"),
        label=check_label(_text(request, "label")),
        reps=_int(request, "reps", 10, 1, MAX_REPS),
        sweeps=_texts(request, "sweeps"),
        compare=bool(compare),
        workers=_int(request, "workers", 1, 1, os.cpu_count() or 1),
    )


def _load(req: _Request, store: Store) -> LoadedScenario:
    """The request's scenario: its source, else the scenario saved under its name, else the
    built-in of that name (never a file: a request names no path on the server)."""
    from plantwin.results import ScenarioNotFoundError
    from plantwin.scenario import builtin_names, builtin_text

    text = req.source
    if text is None:
        try:
            text = store.scenario_source(req.scenario)
        except ScenarioNotFoundError:
            if req.scenario not in builtin_names():
                raise BadInput(
                    f"no scenario named {_show(req.scenario)}: neither saved nor built-in "
                    f"({', '.join(builtin_names())})"
                ) from None
            text = builtin_text(req.scenario)
    return load_source(text, req.scenario, sets=req.sets, horizon=req.horizon)


def _total(req: _Request, store: Store) -> int:
    """The request's whole work, checked as the worker will do it (BadInput if wrong)."""
    loaded = _load(req, store)
    if req.kind == "run":
        return _RUN_TOTAL
    return plan_experiment(loaded, reps=req.reps, seed=req.seed, sweeps=req.sweeps).runs


class _Progress:
    """Writes a job's progress to the store, at most every _PROGRESS_INTERVAL seconds (and at
    the end), so that a fast job does not turn into a stream of transactions."""

    def __init__(self, store: Store, job_id: int) -> None:
        self._store = store
        self._job_id = job_id
        self._last = (-1, monotonic())

    def __call__(self, done: int, total: int) -> None:
        last_done, last_time = self._last
        now = monotonic()
        if done <= last_done or (done < total and now - last_time < _PROGRESS_INTERVAL):
            return
        self._last = (done, now)
        self._store.update_job(self._job_id, when_status=("running",), done=done, total=total)

    def simulated(self, now: float, horizon: float) -> None:
        """A run's progress: hours simulated of the horizon, as a percentage."""
        share = now / horizon if horizon > 0 else 1.0
        self(min(_RUN_TOTAL, int(_RUN_TOTAL * share)), _RUN_TOTAL)


def _work(url: str, job_id: int, kind: str, request: dict[str, Any]) -> None:
    """A worker process: run the job, save its result and end it as done, or as failed with
    the service's message (a traceback goes to the server's log, never to the job)."""
    os.setsid()  # a group of its own: stopping it stops an experiment's pool too
    from plantwin.results import JobEndedError
    from plantwin.results import open_store as open_results_store

    with open_results_store(url) as store:
        try:
            req = _request(kind, request)
            progress = _Progress(store, job_id)
            loaded = _load(req, store)
            outcome: Any
            if req.kind == "run":
                outcome = run(loaded, seed=req.seed, progress=progress.simulated, label=req.label)
            else:
                plan = plan_experiment(loaded, reps=req.reps, seed=req.seed, sweeps=req.sweeps)
                outcome = run_experiment(
                    plan, workers=req.workers, progress=progress, label=req.label
                )
            store.save(outcome.stored, job_id=job_id)
            return
        except JobEndedError:
            return  # cancelled while it ran: its result is not wanted
        except (ServiceError, StoreError) as exc:
            message = str(exc)
        except Exception as exc:  # a defect: named, for the log and the user
            message = f"the job failed: {type(exc).__name__}: {exc}"
        store.update_job(
            job_id, when_status=("running",), status="failed", message=message, finished_at=_now()
        )


def _stop(process: BaseProcess) -> None:
    """Kill a worker and its process group at once (SIGKILL: its transactions roll back)."""
    pid = process.pid
    if pid is None:
        return
    for kill in (os.killpg, os.kill):  # the group: the pool; the worker: in case it has none yet
        with suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _died(exitcode: int | None) -> str:
    how = (
        f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    )
    return f"the worker process stopped unexpectedly ({how})"


class JobRunner:
    """Runs jobs for a server: each in its own worker process, at most ``slots`` at once (the
    others queued), their state in the store at ``url``.

    One runner per server; :meth:`recover` at its start marks the jobs a previous server left
    unfinished, :meth:`close` at its end stops the running jobs.
    """

    def __init__(self, url: str, *, slots: int | None = None) -> None:
        from plantwin.results import resolve_url

        self._url = resolve_url(url)  # with its password: the workers open it too
        self._store = open_store(self._url)  # BadInput: a bad URL, or an in-memory database
        self._slots = max(1, slots or os.cpu_count() or 1)
        if "forkserver" in mp.get_all_start_methods():
            self._context: ForkServerContext | SpawnContext = mp.get_context("forkserver")
            # the fork server imports the engine once; each worker forked from it starts warm
            self._context.set_forkserver_preload(["__main__", __name__, "plantwin.sim"])
        else:
            self._context = mp.get_context("spawn")
        self._lock = threading.Lock()
        self._running: dict[int, BaseProcess] = {}
        self._queue: deque[tuple[int, _Request]] = deque()
        self._closed = False
        self._wake_r, self._wake_w = mp.Pipe(duplex=False)
        self._monitor = threading.Thread(target=self._watch, name="plantwin-jobs", daemon=True)
        self._monitor.start()

    def __enter__(self) -> JobRunner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def submit(self, kind: str, request: Mapping[str, Any]) -> int:
        """Check a request as its worker will run it (BadInput, before any job exists), then
        queue it as a job; returns the job's id. ``kind`` is "run" or "experiment"."""
        req = _request(kind, request)
        total = _total(req, self._store)
        with self._lock:
            if self._closed:
                raise RuntimeError("the job runner is closed")
            job_id = self._store.add_job(req.kind, req.as_json(), total=total)
            self._queue.append((job_id, req))
            self._start_queued()
        return job_id

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued or running job (its workers killed, nothing of it saved) and return
        it; a job that has ended is returned as it is. JobNotFoundError if there is none."""
        with self._lock:
            ended = self._end(job_id, "cancelled", "cancelled; nothing was saved")
            process = self._running.get(job_id)
            if ended and process is not None:
                _stop(process)  # the monitor reaps it; a queued job is skipped when its turn comes
        return self._store.job(job_id)

    def recover(self) -> int:
        """Mark the jobs a previous server left queued or running as interrupted; how many."""
        with self._lock:
            mine = {*self._running, *(job_id for job_id, _ in self._queue)}
            left = [job.id for job in self._store.list_jobs(ACTIVE_STATUSES) if job.id not in mine]
            why = "the server stopped before the job ended; nothing was saved"
            return sum(self._end(job_id, "interrupted", why) for job_id in left)

    def close(self) -> None:
        """Stop every job (running ones killed, queued ones dropped; both marked cancelled),
        the monitor thread and the store's connections."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for job_id in (*self._running, *(job_id for job_id, _ in self._queue)):
                self._end(job_id, "cancelled", "the server stopped; nothing was saved")
            for process in self._running.values():
                _stop(process)
            for process in self._running.values():
                process.join()
            self._running.clear()
            self._queue.clear()
        self._wake()
        self._monitor.join()
        self._wake_r.close()
        self._wake_w.close()
        self._store.close()

    # --- inside the lock, or the monitor's ------------------------------------------------------

    def _end(self, job_id: int, status: JobStatus, message: str) -> bool:
        """End a queued or running job now with ``status`` and ``message``; False if it had
        ended already."""
        return self._store.update_job(
            job_id, when_status=ACTIVE_STATUSES, status=status, message=message, finished_at=_now()
        )

    def _start_queued(self) -> None:
        """Start queued jobs while there are free slots (the lock held)."""
        while self._queue and len(self._running) < self._slots and not self._closed:
            job_id, req = self._queue.popleft()
            if not self._store.update_job(
                job_id, when_status=("queued",), status="running", started_at=_now()
            ):
                continue  # cancelled while it waited
            process = self._context.Process(
                target=_work,
                args=(self._url, job_id, req.kind, req.as_json()),
                name=f"plantwin-job-{job_id}",
            )
            try:
                process.start()
            except OSError as exc:  # out of processes or memory: this job fails, not the server
                self._store.update_job(
                    job_id,
                    status="failed",
                    message=f"cannot start a worker process: {exc}",
                    finished_at=_now(),
                )
                continue
            self._running[job_id] = process
        self._wake()

    def _wake(self) -> None:
        """Make the monitor look again at the set of workers."""
        self._wake_w.send_bytes(b"")

    def _watch(self) -> None:
        """The monitor: wait for a worker to end (or a wake-up), then reap it."""
        while True:
            with self._lock:
                if self._closed:
                    return
                workers = dict(self._running)
            ready = wait([self._wake_r, *(p.sentinel for p in workers.values())])
            while self._wake_r.poll():
                self._wake_r.recv_bytes()
            for job_id, process in workers.items():
                if process.sentinel in ready:
                    self._reap(job_id, process)

    def _reap(self, job_id: int, process: BaseProcess) -> None:
        """A worker has ended: stop what is left of its group, and fail its job if the worker
        did not end it; then start the next queued job."""
        with self._lock:
            if self._running.get(job_id) is not process:
                return  # close() took care of it
            _stop(process)  # an experiment's pool outlives a killed worker; the pid is not reused
            process.join()  # before the worker is reaped
            del self._running[job_id]
            try:
                self._end(job_id, "failed", _died(process.exitcode))
                self._start_queued()
            except StoreError:  # the database is gone: the next server's recover() tells
                pass
