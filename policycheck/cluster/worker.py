"""What runs on a Dask worker: the identity check, the setup of a run, and one batch of contracts.

The client ships a run's setup (the checker: policies, compiled rule book with the user's
extractor files, catalogue; and the report formats that render on the workers) once, as pickled
bytes with their digest. A worker first compares the client's policycheck version and rule-book
hash with its own, and only then unpickles the setup, once per worker process: a worker that
runs another policycheck answers with a clear mismatch instead of failing somewhere inside it.

Results are the values a local run's workers produce: a DocumentResult, or the document already
rendered for every streamed report (RenderedDocument), or an InputError for a contract that
cannot be read or that met a bug; the client writes them in input order.
"""

from __future__ import annotations

import pickle
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, NamedTuple

from policycheck import __version__
from policycheck.errors import PolicycheckError, debugging, internal_error_message
from policycheck.findings.model import DocumentResult, InputError
from policycheck.pipeline import Checker


class Identity(NamedTuple):
    """What must be the same on the client and on every worker."""

    version: str
    rule_book: str          # hash of the extraction code and shipped rule data


@lru_cache(maxsize=1)
def identity() -> Identity:
    from policycheck.cache import extraction_fingerprint

    return Identity(__version__, extraction_fingerprint(()))


def worker_identity() -> tuple[str, str]:
    """Run on every worker before a run starts (``Client.run``)."""
    return tuple(identity())


@dataclass(frozen=True)
class Setup:
    """A run's checker and the report formats rendered where a document is checked."""

    checker: Checker
    streams: tuple[tuple[str, bool], ...] | None     # (format name, colour) of each streamed output
    fail_on: str = "error"


class Header(NamedTuple):
    """Sent with every batch: small, read before anything else."""

    version: str
    rule_book: str
    setup_digest: str


_SETUPS_KEPT = 4
_setups: "OrderedDict[str, tuple[Checker, Callable | None]]" = OrderedDict()
_setups_lock = threading.Lock()


def _discard(text: str) -> None:
    """A stream's writer on a worker: workers render, the client writes."""


def _prepared(header: Header, payload: bytes) -> tuple[Checker, Callable | None]:
    with _setups_lock:
        if header.setup_digest in _setups:
            _setups.move_to_end(header.setup_digest)
            return _setups[header.setup_digest]
    setup: Setup = pickle.loads(payload)
    renderer = None
    if setup.streams is not None:
        from functools import partial

        from policycheck.report.base import RenderOptions, reporter
        from policycheck.report.streaming import _render

        streams = tuple(reporter(name).stream(_discard, RenderOptions(color=color), setup.fail_on)
                        for name, color in setup.streams)
        renderer = partial(_render, streams, setup.fail_on)
    prepared = (setup.checker, renderer)
    with _setups_lock:
        _setups[header.setup_digest] = prepared
        while len(_setups) > _SETUPS_KEPT:
            _setups.popitem(last=False)
    return prepared


def mismatch(header: Header) -> str | None:
    """Why this worker cannot check for a client with ``header`` (None: it can)."""
    mine = identity()
    if (header.version, header.rule_book) == tuple(mine):
        return None
    if header.version != mine.version:
        return f"runs policycheck {mine.version}, the client {header.version}"
    return (f"runs policycheck {mine.version} with a different rule book (hash {mine.rule_book[:12]}, "
            f"the client's {header.rule_book[:12]})")


def check_batch(header: tuple, payload: bytes, contracts: list[tuple]) -> tuple[str, object]:
    """``("ok", [result, ...])`` in the order of ``contracts``, or ``("mismatch", why)``."""
    header = Header(*header)
    why = mismatch(header)
    if why is not None:
        return "mismatch", why
    checker, renderer = _prepared(header, payload)
    return "ok", [check_contract(checker, renderer, contract) for contract in contracts]


def check_contract(checker: Checker, renderer: Callable | None, contract: tuple):
    """One contract, as ``pipeline.check_item`` checks it locally."""
    from policycheck.cluster.inputs import Contract, read_contract

    contract = Contract(*contract)
    if contract.problem:
        return InputError(contract.shown, contract.problem)
    try:
        result: DocumentResult = checker.check_document(read_contract(contract))
    except PolicycheckError as exc:
        if debugging() and exc.__cause__ is not None:
            traceback.print_exception(exc)
        return InputError(contract.shown, exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug met in one contract must not lose the others
        if debugging():
            traceback.print_exc()
        return InputError(contract.shown, internal_error_message(exc))
    return result if renderer is None else renderer(result)
