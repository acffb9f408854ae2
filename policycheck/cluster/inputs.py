"""Contracts a cluster checks: paths on a shared file system and fsspec URLs.

A contract travels to a worker as a plain tuple ``(shown, location, problem)``: the name the
reports use (exactly what a local run would show), where the worker opens it (an absolute path
or a URL), and why it cannot be a contract when that is known before it is opened. Plain tuples
keep a batch readable by a worker whose policycheck differs, so the version check can say so.

URLs (``s3://bucket/prefix/``, ``gs://``, ``file://``, ``memory://``...) are listed and read by
the workers through fsspec, never through the client. A prefix is walked like a local folder:
files with a contract suffix, hidden folders skipped, the project's ``.policycheckignore``
matched against the path below the prefix, in the order a local walk gives (a folder's files
before its subfolders, each sorted by name). Reading ends in the same messages as a local read.
"""

from __future__ import annotations

import os
import re
from typing import Iterable, NamedTuple

from policycheck.document.load import (CONTRACT_SUFFIXES, MAX_CONTRACT_BYTES, OFFICE_SUFFIXES, document_from_bytes,
                                       load_document, too_large)
from policycheck.document.model import Document
from policycheck.errors import DocumentError, UsageError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class Contract(NamedTuple):
    shown: str                      # the name in reports and messages
    location: str                   # absolute path or URL the worker opens
    problem: str | None = None      # why it cannot be a contract, when known before opening it


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def local_contract(path: str, problem: str | None = None) -> Contract:
    """A path named as a local run names it, opened by the workers at its absolute place."""
    return Contract(path, os.path.abspath(path), problem)


# -- listing (runs on a worker) -----------------------------------------------------------------

def _walk_key(relative: str) -> tuple:
    """Sort key that puts paths in the order of a local walk: files of a folder, then subfolders."""
    parts = relative.split("/")
    return tuple((1, part) for part in parts[:-1]) + ((0, parts[-1]),)


def list_contracts(url: str, ignore: tuple[str, str] | None = None,
                   suffixes: tuple[str, ...] = CONTRACT_SUFFIXES) -> list[Contract]:
    """The contracts at ``url``: itself when it names a file, the contracts below it when it is a
    prefix. ``ignore`` is ``(path, text)`` of the project's ``.policycheckignore``. Never raises:
    what cannot be listed comes back as a contract with its problem."""
    try:
        from fsspec.core import url_to_fs

        filesystem, root = url_to_fs(url)
        if not filesystem.isdir(root):
            return [Contract(url, url)]       # a file (or a missing one: reported when read)
        found = filesystem.find(root, withdirs=False, detail=False)
    except ImportError as exc:
        return [Contract(url, url, f"cannot be listed: {_import_problem(url, exc)}")]
    except (OSError, ValueError) as exc:
        return [Contract(url, url, f"cannot be listed: {_os_message(exc)}")]
    rules = _ignore_rules(ignore)
    base = root.rstrip("/")
    shown_base = url.rstrip("/")
    kept = []
    for path in found:
        relative = path[len(base):].lstrip("/") if path.startswith(base) else path
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts[:-1]) or not parts[-1].lower().endswith(suffixes):
            continue
        if rules is not None and rules.ignores(os.path.join(rules.root, *parts)):
            continue
        kept.append(relative)
    if not kept:
        return [Contract(url, url, f"is a directory without contracts ({', '.join(suffixes)} files)")]
    kept.sort(key=_walk_key)
    return [Contract(f"{shown_base}/{relative}", f"{shown_base}/{relative}") for relative in kept]


def _ignore_rules(ignore: tuple[str, str] | None):
    if ignore is None:
        return None
    from policycheck.workflow.ignore import IgnoreRules

    path, text = ignore
    return IgnoreRules(path, text.split("\n"))


def read_ignore_file(rules) -> tuple[str, str] | None:
    """``(path, text)`` of a project's loaded ``.policycheckignore``, to ship to the workers."""
    if rules is None:
        return None
    # The lines the rules were built from: the file is not read a second time.
    return rules.path, "\n".join(rules.lines)


# -- reading (runs on a worker) -----------------------------------------------------------------

def read_contract(contract: Contract) -> Document:
    """The Document of a contract, with the messages of a local read when it cannot be one."""
    shown, location, _ = contract
    if not is_url(location):
        return load_document(location, shown)
    data = _read_url(location, shown)
    if not location.lower().endswith(OFFICE_SUFFIXES):
        return document_from_bytes(data, shown)
    # Office readers take a file: the bytes go to a private temporary one on the worker.
    suffix = os.path.splitext(location)[1].lower()
    import tempfile     # a run that reads no URL need not import it

    with tempfile.TemporaryDirectory(prefix="policycheck-") as directory:
        local = os.path.join(directory, "contract" + suffix)
        with open(local, "wb") as handle:
            handle.write(data)
        return load_document(local, shown)


def _read_url(url: str, shown: str) -> bytes:
    try:
        from fsspec.core import url_to_fs

        filesystem, path = url_to_fs(url)
        # Opened straight away: one request per object on a store (a prefix given as a file fails here).
        with filesystem.open(path, "rb") as handle:
            data = handle.read(MAX_CONTRACT_BYTES + 1)
    except ImportError as exc:
        raise DocumentError(f"cannot be read: {_import_problem(url, exc)}", path=shown) from None
    except IsADirectoryError:
        raise DocumentError("is a directory", path=shown) from None
    except FileNotFoundError:
        raise DocumentError("no such file", path=shown) from None
    except PermissionError:
        raise DocumentError("cannot be read: permission denied", path=shown) from None
    except (OSError, ValueError) as exc:
        raise DocumentError(f"cannot be read: {_os_message(exc)}", path=shown) from None
    if len(data) > MAX_CONTRACT_BYTES:
        raise too_large(len(data), shown)
    return data


def _os_message(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(text.split()).lower()


def _import_problem(url: str, exc: ImportError) -> str:
    scheme = url.split("://", 1)[0]
    extra = {"s3": " (pip install 'policycheck[s3]' on the workers)"}.get(scheme, "")
    return f"the workers have no file system for {scheme}:// URLs{extra}: {exc}"


def urls_among(paths: Iterable[str]) -> list[str]:
    return [path for path in paths if is_url(path)]


def refuse_urls(groups: Iterable[Iterable[str]]) -> None:
    """URLs are read by the workers of a cluster; a local run says so instead of 'no such file'."""
    for paths in groups:
        urls = urls_among(paths)
        if urls:
            raise UsageError(f"{urls[0]} is a URL: URLs are listed and read by the workers of a Dask cluster "
                             "(add --dask ADDRESS, or 'dask:' in policycheck.yaml); a local run reads paths")
