"""A one-line progress counter on stderr while a long run checks contracts.

Shown only when stderr is a terminal and the run lasts long enough to need it (so a pre-commit
run on one file, CI logs and pipes stay silent); rewritten in place and erased at the end.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Iterable, Iterator, TextIO, TypeVar

Item = TypeVar("Item")


class Progress:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None,
                 delay: float = 0.5, interval: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.delay, self.interval, self.clock = delay, interval, clock
        self.shown = False

    def track(self, items: Iterable[Item], label: str = "checked", noun: str = "contract") -> Iterator[Item]:
        """Yield ``items`` unchanged, counting them on the status line."""
        if not self.enabled:
            yield from items
            return
        started = last = self.clock()
        count = 0
        try:
            for item in items:
                yield item
                count += 1
                now = self.clock()
                if now - started >= self.delay and now - last >= self.interval:
                    last = now
                    self._write(f"{label} {count} {noun}{'' if count == 1 else 's'}...")
        finally:
            self.clear()

    def _write(self, text: str) -> None:
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
