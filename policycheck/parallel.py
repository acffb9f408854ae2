"""Check contracts in worker processes, streaming results back in input order.

A bounded window of chunks is in flight at any time: workers never run more than a few chunks
ahead of the report writer, so memory stays flat however many contracts a run has, and the
results come out in exactly the order (and with exactly the content) of a one-process run.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this much contract text, starting worker processes costs more than it saves.
MIN_PARALLEL_BYTES = 512 * 1024
_WINDOW_PER_WORKER = 4        # chunks in flight per worker
_MAX_CHUNK = 16               # items per chunk

# The function a worker applies; set once per worker process by its initializer.
_worker_function: Callable | None = None


def available_cores() -> int:
    """Cores this process may run on (the default of --jobs)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worth_parallel(paths: Iterable[str]) -> bool:
    """Whether these files hold enough text for worker processes to pay for their start."""
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            continue
        if total >= MIN_PARALLEL_BYTES:
            return True
    return False


def _initialise(function: Callable) -> None:
    global _worker_function
    _worker_function = function
    # Ctrl-C reaches the whole process group: the parent stops the run; workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class WorkerTraceback(Exception):
    """The traceback of an error in a worker process (the cause of the error raised here)."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def _apply_chunk(chunk: list) -> tuple[list, BaseException | None, str]:
    """Results of a chunk's items, up to the first error (returned, so the results before it count)."""
    assert _worker_function is not None
    results = []
    try:
        for item in chunk:
            results.append(_worker_function(item))
    except Exception as exc:  # noqa: BLE001 - re-raised in the parent, in order
        return results, exc, traceback.format_exc()
    return results, None, ""


def workers_are_forked() -> bool:
    """Whether worker processes start as forks of this one (and so share its objects for free)."""
    return sys.platform.startswith("linux")


def _context():
    import multiprocessing

    # fork shares the parent's compiled rules and policies with the workers for free; elsewhere
    # (macOS, Windows) the function is pickled to each worker.
    if workers_are_forked():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def ordered_map(function: Callable[[Item], Result], items: list[Item], jobs: int) -> Iterator[Result]:
    """``map(function, items)`` over ``jobs`` worker processes, yielding in input order.

    ``function`` must be picklable where workers are spawned rather than forked. An exception
    raised by ``function`` is raised here, for the item it failed on, after the results before it.
    """
    if jobs <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    # Imported here: a run on a few contracts (a pre-commit hook) never starts a pool.
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(jobs, len(items))
    chunk_size = max(1, min(_MAX_CHUNK, len(items) // (jobs * _WINDOW_PER_WORKER * 2)))
    chunks = _chunked(items, chunk_size)
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_initialise,
                                   initargs=(function,))
    pending: deque[Future] = deque()
    try:
        for chunk in islice(chunks, jobs * _WINDOW_PER_WORKER):
            pending.append(executor.submit(_apply_chunk, chunk))
        while pending:
            results, error, trace = pending.popleft().result()
            for chunk in islice(chunks, 1):
                pending.append(executor.submit(_apply_chunk, chunk))
            yield from results
            if error is not None:
                raise error from WorkerTraceback(trace)
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


def _chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
