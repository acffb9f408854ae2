"""The reporter interface and the one registry of output formats."""

from __future__ import annotations

from typing import Callable, Protocol

from policycheck.report.model import RunReport


class Reporter(Protocol):
    """Turns a run into text. ``color`` is only honoured by terminal formats."""

    def __call__(self, report: RunReport, *, color: bool = False) -> str: ...


_REGISTRY: dict[str, Callable[[], Reporter]] = {}


def register(name: str):
    def decorate(factory):
        _REGISTRY[name] = factory
        return factory
    return decorate


def reporter(name: str) -> Reporter:
    from policycheck.report import formats  # noqa: F401  (registers the shipped formats)

    return _REGISTRY[name]()


def format_names() -> list[str]:
    from policycheck.report import formats  # noqa: F401

    return sorted(_REGISTRY)
