"""Where the per-file function runs: this process, a process pool, or an existing Dask cluster.

Each engine only submits calls and hands back futures; ``ordered_results`` keeps a bounded
window of them in flight and yields results in submission order, so the output file is written
in the same order however many workers there are and whichever finishes first.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, Protocol

# Tasks in flight per worker: enough to keep every worker busy while the head of the line finishes.
WINDOW_PER_WORKER = 4


class Submitter(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any: ...


class InProcess:
    """``--jobs 1``: the calls run here, one after the other (no process start-up)."""

    workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future

    def close(self) -> None:
        pass


class LocalPool:
    """``--jobs N``: a process pool; spawned workers, so nothing of the parent leaks into them."""

    def __init__(self, jobs: int) -> None:
        self.workers = jobs
        self._pool: Executor = ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context("spawn")
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        return self._pool.submit(fn, *args)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskCluster:
    """``--engine dask``: the calls go to an existing ``distributed`` scheduler at ``address``."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise SystemExit(
                "policyreader: --engine dask needs Dask: pip install 'policyreader[cluster]'"
            ) from None
        self._client = Client(address)
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        # pure=False: a file may have changed since a previous call with the same arguments.
        return self._client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self._client.close()


def ordered_results(
    engine: Submitter, fn: Callable[..., Any], tasks: Iterable[Sequence[Any]], window: int
) -> Iterator[tuple[Sequence[Any], Any, BaseException | None]]:
    """(task, ``fn(*task)``, None) in task order, at most ``window`` calls in flight.

    A call that failed in its worker (a worker killed for memory, a lost cluster node) yields
    (task, None, error): the batch goes on and the caller writes that file's error line.
    """
    pending: deque[tuple[Sequence[Any], Any]] = deque()

    def take() -> tuple[Sequence[Any], Any, BaseException | None]:
        task, future = pending.popleft()
        try:
            return task, future.result(), None
        except Exception as error:
            return task, None, error

    for task in tasks:
        pending.append((task, engine.submit(fn, *task)))
        if len(pending) >= window:
            yield take()
    while pending:
        yield take()


def open_engine(kind: str, jobs: int, scheduler: str | None) -> InProcess | LocalPool | DaskCluster:
    if kind == "dask":
        if not scheduler:
            raise SystemExit("policyreader: --engine dask needs --scheduler ADDRESS")
        return DaskCluster(scheduler)
    return InProcess() if jobs <= 1 else LocalPool(jobs)


class closing_engine(AbstractContextManager):
    def __init__(self, engine: InProcess | LocalPool | DaskCluster) -> None:
        self.engine = engine

    def __enter__(self) -> InProcess | LocalPool | DaskCluster:
        return self.engine

    def __exit__(self, *exc: object) -> None:
        self.engine.close()
