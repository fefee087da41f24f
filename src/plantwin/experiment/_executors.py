"""Where replications run: in this process, in local processes on all cores, or on Dask.

Every executor runs the same pure task, (scenarios, seed, horizon, [(variant, replication)]) ->
KPI rows, so the seed alone fixes the result whatever runs it and however many workers it has.

Ctrl-C belongs to the parent: local workers ignore SIGINT (a terminal sends it to the whole
process group, and each worker would die with its own traceback), and the parent, interrupted
or failing, stops them at once instead of waiting for the tasks already handed out.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol

# the KPIs' package, which a run imports on first use: imported here, before local workers are
# forked, so that they inherit it instead of each importing it (a tenth of a second apiece)
import plantwin.kpis  # noqa: F401
from plantwin.sim import Batch, Rows, run_batch

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "SerialExecutor", "chunked"]

Done = Callable[[int], None]  # called with the number of replications just finished
_STOP_S = 5.0  # seconds a terminated worker has to exit before it is killed


def chunked(runs: Sequence[tuple[str, int]], workers: int) -> Iterator[tuple[tuple[str, int], ...]]:
    """Split runs into contiguous pieces for ``workers`` that take one at a time: none more than
    an eighth of a worker's share (progress moves in steps that size), and toward the end each
    a ``2 x workers``-th of the runs left, down to an eighth of the largest, so that the workers
    finish together instead of one idling while another ends a big piece. Not smaller: each task
    costs a round trip and the pickling of its scenarios besides its runs."""
    workers = max(1, workers)
    most = max(1, -(-len(runs) // (8 * workers)))
    least = -(-most // 8)
    start = 0
    while start < len(runs):
        size = max(least, min(most, -(-(len(runs) - start) // (2 * workers))))
        yield tuple(runs[start : start + size])
        start += size


def _ignore_sigint() -> None:
    """Initializer of a local worker: leave Ctrl-C to the parent process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Executor(Protocol):
    """Runs tasks and reports progress as replications finish."""

    workers: int

    def run(self, tasks: list[Batch], done: Done) -> Rows:
        """Run every task; rows may come back in any order."""


class SerialExecutor:
    """Everything in this process (for tests, debugging and tiny experiments)."""

    workers = 1

    def run(self, tasks: list[Batch], done: Done) -> Rows:
        rows = Rows()
        for task in tasks:
            rows.extend(run_batch(task))
            done(len(task.runs))
        return rows


class LocalExecutor:
    """A pool of local processes, one per core unless told otherwise, kept until closed.

    The workers start at once. On Linux, while this process has a single thread, they are
    forked (starting costs nothing and they inherit the imported engine); otherwise they come
    from a fork server or are spawned, which is safe with threads but costs a fresh import.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        methods = mp.get_all_start_methods()
        if sys.platform == "linux" and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        context = mp.get_context(method)
        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_ignore_sigint
        )
        # start the workers now, before any other thread; with the parent's objects frozen,
        # the workers' garbage collector does not walk (and so copy) the inherited memory
        gc.freeze()
        try:
            self._pool.submit(int).result()
        finally:
            gc.unfreeze()

    def run(self, tasks: list[Batch], done: Done) -> Rows:
        rows = Rows()
        futures = {self._pool.submit(run_batch, t): len(t.runs) for t in tasks}
        try:
            for future in as_completed(futures):
                rows.extend(future.result())
                done(futures[future])
        except BaseException:  # Ctrl-C, or a task failed: the rest of the work is moot
            self._stop()
            raise
        return rows

    def _stop(self) -> None:
        """Cancel what is queued and terminate the workers, running tasks and all; the pool
        is closed afterwards."""
        processes = list((self._pool._processes or {}).values())
        terminate = getattr(self._pool, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
        else:  # before 3.14 the pool has no public way to stop a running task
            for process in processes:
                process.terminate()
        for process in processes:
            process.join(_STOP_S)
            if process.is_alive():
                process.kill()
                process.join()
        # a worker killed while sending its rows leaves half a message in the result pipe,
        # and the pool's manager thread waits for the rest of it for ever: this process's own
        # copy of the pipe's writing end is the last one open, and closing it ends that wait
        writer = getattr(getattr(self._pool, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()
        # wait for the pool's manager thread, which the dead workers end at once: left
        # running, it can close its wake-up pipe while the interpreter's exit hook writes to
        # it ("Exception ignored ... Bad file descriptor" on Python 3.11)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class DaskExecutor:
    """Dask distributed: ``"local"`` starts a LocalCluster, else the scheduler's address."""

    def __init__(self, address: str = "local", workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError('Dask is not installed: pip install "plantwin[dask]"') from exc
        self._cluster: Any = None
        if address == "local":
            n = workers or os.cpu_count() or 1
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            self._client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def run(self, tasks: list[Batch], done: Done) -> Rows:
        from distributed import as_completed as dask_completed

        futures = self._client.map(run_batch, tasks, pure=False)
        sizes = {f.key: len(t.runs) for f, t in zip(futures, tasks, strict=True)}
        rows = Rows()
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            rows.extend(future.result())
            done(sizes[future.key])
        return rows

    def close(self) -> None:
        """Close the client, and the cluster if this executor started it."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
