"""Reading the small text files a user gives policycheck: policies, facts files, test files.

One place for the rules they share: a size limit, UTF-8 (a BOM is allowed), no binary data, LF
line ends, and a clear error naming the file for each way reading can fail. Each caller passes
its own error class, so the message carries the kind of file and the exit code stays 2.
"""

from __future__ import annotations

import os

from policycheck.errors import PolicycheckError


def read_text_file(path: str, *, kind: str, max_bytes: int, error: type[PolicycheckError],
                   reject_binary: bool = False) -> str:
    """The text of ``path`` with line ends normalised to LF; raise ``error`` when it cannot be read."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise error(f"is {size} bytes; a {kind} file may have at most {max_bytes}", path=path)
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise error(f"no such {kind} file", path=path) from None
    except IsADirectoryError:
        raise error(f"is a directory, not a {kind} file", path=path) from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", path=path) from None
    if reject_binary and b"\x00" in data:
        raise error(f"is a binary file, not a {kind} ({kind} files are UTF-8 text)", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise error(f"is not UTF-8 (invalid byte at offset {exc.start})", path=path, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
