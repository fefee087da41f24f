"""The results store as requests use it: opened with clear errors, runs saved, loaded, listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.service._errors import BadInput, RunFailed

if TYPE_CHECKING:
    from plantwin.results import Store, StoredRun, StoredRunInfo

__all__ = ["delete_run", "list_runs", "load_run", "open_store", "save"]


def open_store(url: str | None, *, create: bool = True) -> Store:
    """The store at ``url`` (None: ``$PLANTWIN_DB`` or ``./plantwin.db``), or BadInput. With
    ``create`` (requests that save) an in-memory database is refused: it and its runs vanish
    when the process ends."""
    from plantwin.results import StoreError, StoreNotFoundError, resolve_url
    from plantwin.results import open_store as open_results_store

    try:
        store = open_results_store(url, create=create)
    except StoreNotFoundError as exc:
        raise BadInput(f"{exc}; nothing has been saved there (plantwin run saves runs)") from exc
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    if create and store.in_memory:
        store.close()
        raise BadInput(
            f"--db {resolve_url(url)} is an in-memory database: it and everything saved in it "
            "are gone when plantwin exits; name a file (sqlite:///plantwin.db) or PostgreSQL, "
            "or use --no-save"
        )
    return store


def save(store: Store, stored: StoredRun) -> int:
    """Save a run or experiment and return its id; a failed save is RunFailed."""
    from plantwin.results import StoreError

    try:
        return store.save(stored)
    except StoreError as exc:
        raise RunFailed(str(exc)) from exc


def load_run(url: str | None, run_id: int) -> StoredRun:
    """The stored run or experiment ``run_id``; a missing store or id is BadInput."""
    from plantwin.results import StoreError

    with open_store(url, create=False) as store:
        try:
            return store.load(run_id)
        except StoreError as exc:
            raise BadInput(str(exc)) from exc


def list_runs(url: str | None) -> list[StoredRunInfo]:
    """Every stored run and experiment, oldest first; none when there is no store yet."""
    from plantwin.results import StoreError, StoreNotFoundError
    from plantwin.results import open_store as open_results_store

    try:
        store = open_results_store(url, create=False)
    except StoreNotFoundError:
        return []
    except StoreError as exc:
        raise BadInput(str(exc)) from exc
    with store:
        return store.list_runs()


def delete_run(url: str | None, run_id: int) -> None:
    """Delete the stored run or experiment ``run_id``; a missing store or id is BadInput."""
    from plantwin.results import StoreError

    with open_store(url, create=False) as store:
        try:
            store.delete(run_id)
        except StoreError as exc:
            raise BadInput(str(exc)) from exc
