"""The library API of policycheck, for programs that drive their own engine (Spark, Dask, Ray...).

Stable: the names in ``__all__`` keep their signatures and meaning within a major version, and
the dictionaries they return are the documents of the JSON reports, whose shapes are versioned
by their schema names (``REPORT_SCHEMA``, ``FACTS_SCHEMA``).

    >>> from policycheck.api import load_policies
    >>> policies = load_policies(["policies/"])                  # once, on the driver
    >>> document = policies.check_text(text, "vendor-42.txt")    # anywhere, many times
    >>> [finding["rule"] for finding in document["findings"]]

``check_text`` returns one entry of ``documents`` of ``policycheck/report/v1`` (what ``policycheck
run -f json`` writes for that contract): ``{"path", "languages", "findings", "facts"}``.
``facts_of_text`` returns one entry of ``documents`` of ``policycheck/facts/v1`` (what
``policycheck facts --format json`` writes): ``{"path", "languages", "facts"}``. Both are plain
JSON data (str, int, float, bool, None, list, dict).

A text is checked exactly as a UTF-8 file holding it would be; text that cannot be a contract
(empty, or no text at all) raises ``DocumentError``, an invalid policy raises ``PolicyError``
with every problem in its message. Both are ``PolicycheckError``.

A ``Policies`` object is picklable and cheap to ship: it pickles as the parsed policies and the
text of your extractor files (some tens of kilobytes), and the rule book is compiled once per
process on first use, where it is used. Unpickling it under another policycheck version raises
``PolicycheckError``: install the same version on the driver and the workers.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from typing import Any, Iterable

from policycheck import __version__
from policycheck.errors import DocumentError, PolicycheckError

__all__ = ["FACTS_SCHEMA", "REPORT_SCHEMA", "DocumentError", "Policies", "PolicyError", "PolicycheckError",
           "facts_of_text", "load_policies"]

REPORT_SCHEMA = "policycheck/report/v1"
FACTS_SCHEMA = "policycheck/facts/v1"


class PolicyError(PolicycheckError):
    """Policies that cannot be loaded or checked; the message lists every problem."""


def load_policies(paths: Iterable[str], *, extractors: Iterable[str] = ()) -> "Policies":
    """Load and statically check the policies at ``paths`` (``.policy`` files or directories of
    them); ``extractors`` are your own extractor files or directories (docs/extractors.md)."""
    from policycheck.facts.engine import extractor
    from policycheck.policy.checker import check_policies
    from policycheck.policy.loader import load_policies as load

    extractor_paths = tuple(os.path.abspath(path) for path in extractors)
    policy_set, errors = load([str(path) for path in paths])
    if not errors:
        errors = list(check_policies(policy_set, extractor(extractor_paths).catalogue))
    if errors:
        raise PolicyError("\n".join(error.render() for error in errors))
    return Policies(policy_set, _read_extractor_files(extractor_paths))


def facts_of_text(text: str, name: str = "<text>", *, extractors: Iterable[str] = ()) -> dict[str, Any]:
    """The facts of one contract's text: an entry of ``documents`` of ``policycheck/facts/v1``."""
    from policycheck.facts.engine import extractor

    from policycheck.pipeline import read_document

    return read_document(_document(text, name),
                         extractor(tuple(os.path.abspath(path) for path in extractors))).as_dict()


class Policies:
    """A loaded, checked policy set with the rule book it is checked with (see the module doc)."""

    def __init__(self, policy_set, extractor_files: tuple[tuple[str, str], ...] = ()) -> None:
        self._policy_set = policy_set
        self._extractor_files = extractor_files     # (file name, text) of the user's extractor files
        self._checker = None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of every rule, in the order of the policy files."""
        return tuple(rule.id for rule in self._policy_set.rules)

    def check_text(self, text: str, name: str = "<text>") -> dict[str, Any]:
        """Check one contract's text: an entry of ``documents`` of ``policycheck/report/v1``."""
        from policycheck.report.formats import document_data

        checker = self._ready()
        return document_data(checker.check_document(_document(text, name)))

    def check_bytes(self, data: bytes, name: str) -> dict[str, Any]:
        """Check a contract file's bytes, decoded as a run decodes a ``.txt`` or ``.md`` file
        (UTF-8, UTF-16 with a byte-order mark, GB 18030...)."""
        from policycheck.document.load import document_from_bytes
        from policycheck.report.formats import document_data

        checker = self._ready()
        return document_data(checker.check_document(document_from_bytes(data, name)))

    def facts_of_text(self, text: str, name: str = "<text>") -> dict[str, Any]:
        """The facts of one contract's text, read with this set's rule book (your extractors included)."""
        from policycheck.pipeline import read_document

        checker = self._ready()
        return read_document(_document(text, name), checker.extractor).as_dict()

    def _ready(self):
        if self._checker is None:
            from policycheck.facts.engine import extractor
            from policycheck.pipeline import Checker

            engine = extractor(_materialised(self._extractor_files))
            self._checker = Checker(self._policy_set, engine.catalogue, engine=engine)
        return self._checker

    def __getstate__(self) -> dict:
        return {"version": __version__, "policy_set": self._policy_set, "extractor_files": self._extractor_files}

    def __setstate__(self, state: dict) -> None:
        if state.get("version") != __version__:
            raise PolicycheckError(f"these policies were loaded by policycheck {state.get('version')}, and this "
                                   f"is policycheck {__version__}: install the same version everywhere")
        self.__init__(state["policy_set"], state["extractor_files"])

    def __repr__(self) -> str:
        return f"<Policies: {len(self._policy_set.rules)} rules, {len(self._extractor_files)} extractor files>"


def _document(text: str, name: str):
    from policycheck.document.load import document_from_bytes

    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__} (use check_bytes for bytes)")
    # Exactly what a run reads from a UTF-8 file holding this text.
    return document_from_bytes(text.encode("utf-8", "surrogatepass"), name)


def _read_extractor_files(paths: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(name, text) of every extractor file under ``paths``, in the order the rule book reads them."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            for directory, subdirectories, names in os.walk(path):
                subdirectories.sort()
                files.extend(os.path.join(directory, name) for name in sorted(names)
                             if name.endswith((".yaml", ".yml")))
        else:
            files.append(path)
    found = []
    for index, path in enumerate(files):
        try:
            with open(path, encoding="utf-8") as handle:
                found.append((f"{index:04d}-{os.path.basename(path)}", handle.read()))
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"cannot read extractor file: {exc}", path=path) from None
    return tuple(found)


_materialised_lock = threading.Lock()
_materialised_paths: dict[str, tuple[str, ...]] = {}


def _materialised(files: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Paths of the extractor files on this machine: written once per process to a private
    directory (the rule book reads files), keyed by their content."""
    if not files:
        return ()
    digest = hashlib.sha256(repr(files).encode("utf-8", "surrogatepass")).hexdigest()
    with _materialised_lock:
        if digest not in _materialised_paths:
            directory = tempfile.mkdtemp(prefix=f"policycheck-extractors-{digest[:12]}-")
            paths = []
            for name, text in files:
                path = os.path.join(directory, name)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
                paths.append(path)
            _materialised_paths[digest] = tuple(paths)
        return _materialised_paths[digest]


