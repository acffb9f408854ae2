"""Reading and writing the files a user gives policycheck: policies, tests, config, extractor
files, waivers, baseline, facts, templates, and the reports it writes.

One place for the rules every input file shares: only a regular file is read (a FIFO would block
forever, ``/dev/zero`` would never end), never more than a size limit, UTF-8 (a BOM is allowed),
LF line ends, and a clear error naming the file for each way reading can fail. Each caller
passes its own error class, so the message carries the kind of file and the exit code stays 2.

Output files are written to a temporary file beside the target and renamed over it when
complete, so a run that fails half way never leaves a truncated report where a good one was.
"""

from __future__ import annotations

import errno
import os
import stat

from policycheck.errors import PolicycheckError, UsageError


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _refusal(info: os.stat_result, kind: str) -> str | None:
    if stat.S_ISDIR(info.st_mode):
        return f"is a directory, not {_a(kind)} file"
    if not stat.S_ISREG(info.st_mode):
        return f"is not a regular file (a device, pipe or socket); {_a(kind)} file must be a regular file"
    return None


def _os_problem(exc: OSError, path: str, kind: str) -> str:
    if exc.errno == errno.ENOENT:
        return "is a broken symbolic link" if os.path.islink(path) else f"no such {kind} file"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno == errno.EISDIR:
        return f"is a directory, not {_a(kind)} file"
    return f"cannot be read: {exc.strerror or exc}"


def read_file_bytes(path: str, *, kind: str, max_bytes: int, error: type[PolicycheckError]) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``; raise ``error`` otherwise.

    The file type is checked before opening (opening a FIFO blocks until a writer comes) and
    again on the open handle (the path may have been swapped in between); the read itself is
    bounded, so a file that grows while read cannot exhaust memory either."""
    try:
        refusal = _refusal(os.stat(path), kind)
        if refusal:
            raise error(refusal, path=path)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            refusal = _refusal(info, kind)
            if refusal:
                raise error(refusal, path=path)
            if info.st_size > max_bytes:
                raise error(f"is {info.st_size} bytes; {_a(kind)} file may have at most {max_bytes}", path=path)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(_os_problem(exc, path, kind), path=path) from None
    except ValueError:                 # a NUL in the path
        raise error(f"is not a usable name for {_a(kind)} file", path=path) from None
    if len(data) > max_bytes:
        raise error(f"is more than {max_bytes} bytes; {_a(kind)} file may have at most {max_bytes}", path=path)
    return data


def decode_text(data: bytes, *, path: str, kind: str, error: type[PolicycheckError],
                reject_binary: bool = False) -> str:
    """UTF-8 text (a BOM is dropped) with LF line ends, the same for a file and for stdin."""
    if reject_binary and b"\x00" in data:
        raise error(f"is a binary file, not a {kind} ({kind} files are UTF-8 text)", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise error(f"is not UTF-8 (invalid byte at offset {exc.start})", path=path, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: str, *, kind: str, max_bytes: int, error: type[PolicycheckError],
                   reject_binary: bool = False) -> str:
    """The text of ``path`` with line ends normalised to LF; raise ``error`` when it cannot be read."""
    data = read_file_bytes(path, kind=kind, max_bytes=max_bytes, error=error)
    return decode_text(data, path=path, kind=kind, error=error, reject_binary=reject_binary)


def write_file_atomically(path: str, text: str, *, error: type[PolicycheckError] = UsageError,
                          what: str = "") -> None:
    """Write UTF-8 text with LF line ends to ``path`` (creating its directory) through a temporary
    file renamed over it: the old content stays whole until the new one is complete."""
    import tempfile        # only when writing: start-up matters

    directory = os.path.dirname(path) or "."
    temporary = None
    try:
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".policycheck-", suffix=".tmp", dir=directory)
        # A file name that is not UTF-8 reaches here as lone surrogates: written as \udcff escapes.
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, new_file_mode())
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise error(f"cannot write {what or path}: {exc.strerror or exc}") from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def new_file_mode() -> int:
    """The mode a file created now gets (0o666 less the umask): a file written under a temporary
    name and renamed gets the mode it would have had if opened directly."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def lone_surrogate(data) -> str | None:
    """The first unpaired surrogate (JSON's "\\ud800") in any string of ``data``, if any: no
    output could encode it."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                return item[exc.start]
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None
