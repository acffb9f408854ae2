"""Drive a run on an existing Dask distributed cluster (``policycheck run --dask ADDRESS``).

The client connects, checks that every worker runs the same policycheck and rule book, ships
each group's setup once (``scatter`` to every worker), lists URL inputs on the workers, and
submits the contracts in batches with a bounded number in flight, earliest first. Results are
taken back in input order and handed to the same report writers as a local run, so the output
is byte-identical, and the client holds only the batches in flight: its memory stays flat.

Faults: the scheduler re-runs the batches of a worker that dies (a batch is taken back once, so
nothing is reported twice); a batch whose workers keep dying turns its contracts into input
errors; a scheduler that cannot be reached or goes away, and a worker that runs another
policycheck, are a ClusterError (exit 2) naming the address; Ctrl-C cancels the cluster's work.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import uuid
from collections import deque
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Iterator

from policycheck.cluster.inputs import Contract, is_url, local_contract, list_contracts
from policycheck.cluster.worker import Header, Setup, check_batch, identity, worker_identity
from policycheck.errors import PolicycheckError, debugging
from policycheck.findings.model import InputError
from policycheck.pipeline import Checker

if TYPE_CHECKING:
    from policycheck.report.outputs import Output

_BATCHES_PER_THREAD = 4     # batches in flight per worker thread
_MAX_BATCH = 32             # contracts per batch
_MIN_BATCH = 1


class ClusterError(PolicycheckError):
    """The Dask cluster cannot run the check: unreachable, gone, no workers, another policycheck."""


def streamed_formats(outputs: list["Output"], *, quiet: bool, color: bool) -> tuple[tuple[str, bool], ...]:
    """(format, colour) of each output that streams, in the order StreamingOutputs opens them."""
    return tuple((output.reporter.name, color and output.to_stdout) for output in outputs
                 if not (output.to_stdout and quiet))


def _batch_size(count: int, slots: int) -> int:
    return max(_MIN_BATCH, min(_MAX_BATCH, count // (slots * _BATCHES_PER_THREAD * 2)))


@contextmanager
def _quiet_dask_logs():
    """Dask logs connection trouble on its own; the user gets one message from us instead."""
    if debugging():
        yield
        return
    logger = logging.getLogger("distributed")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


class ClusterRun:
    """One run's connection to a Dask cluster. Use as a context manager."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._client = None
        self._logs = _quiet_dask_logs()
        self._pending: deque = deque()          # (future, batch) in flight, oldest first

    # -- connection ------------------------------------------------------------------------------
    def __enter__(self) -> "ClusterRun":
        self._logs.__enter__()
        try:
            self._connect()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        client, self._client = self._client, None
        try:
            if client is not None:
                try:
                    if self._pending:      # interrupted: the cluster stops this run's work
                        client.cancel([future for future, _ in self._pending], force=True)
                    client.close()
                except Exception:  # noqa: BLE001 - a scheduler already gone cannot be told goodbye
                    pass
        finally:
            self._logs.__exit__(None, None, None)

    def _connect(self) -> None:
        try:
            import dask
            from distributed import Client
        except ImportError:
            raise ClusterError("--dask needs Dask: pip install 'policycheck[dask]'") from None
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        _check_address(self.address)
        try:
            self._client = Client(self.address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {_reason(exc)}") from None
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"the Dask cluster at {self.address} has no workers ({_reason(exc)})") from None
        self._check_workers()

    def _check_workers(self) -> None:
        mine = tuple(identity())
        try:
            found = self._client.run(worker_identity)
        except ModuleNotFoundError as exc:
            raise ClusterError(f"the Dask workers at {self.address} cannot import policycheck ({exc}): install "
                               "the same policycheck on every worker") from None
        except (OSError, TimeoutError) as exc:
            raise self._lost(exc) from None
        for worker, theirs in sorted(found.items()):
            if tuple(theirs) != mine:
                what = (f"policycheck {theirs[0]}" if theirs[0] != mine[0]
                        else f"policycheck {theirs[0]} with another rule book (hash {theirs[1][:12]})")
                raise ClusterError(f"the Dask worker {worker} of {self.address} runs {what}; this client runs "
                                   f"policycheck {mine[0]} (rule book {mine[1][:12]}): install the same policycheck "
                                   "on the client and every worker")

    def _slots(self) -> int:
        workers = self._client.scheduler_info().get("workers", {})
        return max(1, sum(info.get("nthreads", 1) for info in workers.values()))

    def _lost(self, exc: BaseException) -> ClusterError:
        return ClusterError(f"lost the Dask scheduler at {self.address}: {_reason(exc)}")

    # -- checking --------------------------------------------------------------------------------
    def check(self, checker: Checker, paths: list[str], *, streams: tuple[tuple[str, bool], ...] | None,
              fail_on: str, ignore: tuple[str, str] | None = None) -> Iterator:
        """Results for ``paths`` (local paths as a local run selected them, or URLs) in input order:
        DocumentResult, or RenderedDocument when ``streams`` are given, or InputError."""
        # The checker without its fact cache, which stays on this machine.
        shipped = Checker(checker.policy_set, checker.catalogue, checker.settings, unread=checker.unread,
                          engine=checker.extractor)
        payload = pickle.dumps(Setup(shipped, streams, fail_on), protocol=pickle.HIGHEST_PROTOCOL)
        mine = identity()
        header = tuple(Header(mine.version, mine.rule_book, hashlib.sha256(payload).hexdigest()))
        count, contracts = self._contracts(paths, ignore)
        if not count:
            return
        slots = self._slots()
        batches = _batched(contracts, _batch_size(count, slots))
        client = self._client
        try:
            shipped = client.scatter(payload, broadcast=True, hash=False)
        except (OSError, TimeoutError) as exc:
            raise self._lost(exc) from None
        del payload
        pending = self._pending = deque()
        submitted = 0
        run_token = uuid.uuid4().hex[:12]      # keys unique on a cluster shared by several runs

        def submit(batch: list[Contract]) -> None:
            nonlocal submitted
            # Earlier batches first: the writer waits for them, later ones can wait.
            future = client.submit(check_batch, header, shipped, [tuple(c) for c in batch], pure=False,
                                   priority=-submitted, key=f"policycheck-batch-{run_token}-{submitted}")
            submitted += 1
            pending.append((future, batch))

        try:
            for batch in islice(batches, slots * _BATCHES_PER_THREAD):
                submit(batch)
            while pending:
                future, batch = pending.popleft()
                results = self._outcome(future, batch)
                future.release()
                for batch in islice(batches, 1):
                    submit(batch)
                yield from results
        finally:
            # Ctrl-C, a lost scheduler or a reader that stopped: the cluster stops this run's work.
            if pending:
                try:
                    client.cancel([future for future, _ in pending], force=True)
                except Exception:  # noqa: BLE001 - the scheduler may be gone already
                    pass
            try:
                shipped.release()
            except Exception:  # noqa: BLE001
                pass

    def _contracts(self, paths: list[str], ignore: tuple[str, str] | None) -> tuple[int, Iterator[Contract]]:
        """How many contracts there are, and the contracts in input order (made as they are taken:
        the client keeps the names it was given and what the workers listed, nothing more)."""
        listings: dict[str, list] = {}
        seen: set[str] = set()      # a contract under two URLs given (a prefix and a file in it) once
        futures = {path: self._client.submit(list_contracts, path, ignore, pure=False)
                   for path in dict.fromkeys(path for path in paths if is_url(path))}
        for path, future in futures.items():     # every URL listed at once, by the workers
            try:
                listings[path] = _unseen(future.result(), seen)
            except (OSError, TimeoutError) as exc:
                raise self._lost(exc) from None
            except Exception as exc:  # noqa: BLE001 - cancelled: the scheduler went away
                if _is_cancelled(exc):
                    raise self._lost(exc) from None
                raise
        count = sum(len(listings[path]) if is_url(path) else 1 for path in paths)

        def contracts() -> Iterator[Contract]:
            for path in paths:
                if is_url(path):
                    yield from (Contract(*listed) for listed in listings.pop(path, ()))
                else:
                    yield local_contract(path)

        return count, contracts()

    def _outcome(self, future, batch: list[Contract]) -> list:
        from distributed import KilledWorker

        try:
            status, value = future.result()
        except KilledWorker:
            return [InputError(c.shown, "could not be checked: every Dask worker that took it died "
                                        "(out of memory?)") for c in batch]
        except (OSError, TimeoutError) as exc:
            raise self._lost(exc) from None
        except Exception as exc:  # noqa: BLE001 - reported as a cluster problem, not a traceback
            if _is_cancelled(exc):
                raise self._lost(exc) from None
            raise ClusterError(f"a Dask worker of {self.address} could not run policycheck's task: "
                               f"{_reason(exc)} (is the same policycheck installed on every worker?)") from None
        if status == "mismatch":
            raise ClusterError(f"a Dask worker of {self.address} {value}: install the same policycheck on the "
                               "client and every worker")
        return value


def _check_address(address: str) -> None:
    """A malformed address is refused before a Client exists (a half-made one hangs on exit)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {_reason(exc)} (write it as "
                           "tcp://HOST:PORT, e.g. tcp://scheduler:8786)") from None


def _unseen(listed: list, seen: set[str]) -> list:
    unique = []
    for contract in listed:
        if contract[0] not in seen:
            seen.add(contract[0])
            unique.append(contract)
    return unique


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _is_cancelled(exc: BaseException) -> bool:
    from asyncio import CancelledError

    return isinstance(exc, CancelledError) or type(exc).__name__ in ("FutureCancelledError", "CancelledError")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
