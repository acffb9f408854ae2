"""The fact cache: extraction results kept by content, so an unchanged contract is not read again.

An entry holds the facts extracted from one contract's bytes. Its key is the SHA-256 of those
bytes, inside a directory named by a fingerprint of everything extraction depends on: the
policycheck version, the source and data files of the extraction stages (document, facts,
values, catalogue: this covers the shipped rules) and every file under the user's extractor
paths. Change any of them and the old entries are simply not found. Policies are not part of
the key: findings are always evaluated afresh from the (cached) facts.

Entries are JSON (data, never code) written atomically (temporary file + rename); an entry that
cannot be read or does not decode to facts is treated as absent and rewritten. The directory
should be writable by you alone: an entry is trusted to hold the facts of its contract.

Default location: ``$XDG_CACHE_HOME/policycheck`` (``~/.cache/policycheck``; on macOS
``~/Library/Caches/policycheck``, on Windows ``%LOCALAPPDATA%\\policycheck``). Off when the
``CI`` environment variable is set (a fresh CI machine gains nothing) or with ``--no-cache``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Callable

from policycheck import __version__
from policycheck.cachedir import default_directory, in_ci
from policycheck.document.model import Span
from policycheck.document.unread_language import UnreadText
from policycheck.errors import PolicycheckError
from policycheck.facts.model import DocumentFacts, Fact, UnreadClause
from policycheck.values.types import Duration, EnumValue, Jurisdiction, Money, Percent

ENTRY_FORMAT = 1
_NAMESPACE = f"facts-v{ENTRY_FORMAT}"
_EXTRACTION_PACKAGES = ("document", "facts", "values", "catalogue")
_STALE_AFTER_SECONDS = 7 * 24 * 3600


class CacheError(PolicycheckError):
    """The cache directory cannot be used."""


def open_cache(option: str | None, disabled: bool, extractor_paths: tuple[str, ...] = (),
               warn: Callable[[str], None] = lambda message: None, environ=os.environ) -> "FactCache | None":
    """The run's cache from --cache DIR / --no-cache / CI, or None when off.

    A directory given with --cache that cannot be used is an error; when the default one cannot
    be used, ``warn`` is told and the run goes on without a cache.
    """
    if disabled or (option is None and in_ci(environ)):
        return None
    directory = Path(option) if option else default_directory(environ)
    try:
        return FactCache.open(directory, extractor_paths)
    except CacheError as exc:
        if option:
            raise
        warn(f"fact cache off: {exc.message}")
        return None


def extraction_fingerprint(extractor_paths: tuple[str, ...] = ()) -> str:
    """A hash of everything extracted facts depend on (see the module docstring)."""
    digest = hashlib.sha256(f"policycheck {__version__}\n".encode())
    package = _package_root()
    for name in _EXTRACTION_PACKAGES:
        _hash_tree(digest, package.joinpath(name), name)
    for path in extractor_paths:
        _hash_tree(digest, Path(path), f"user:{os.path.abspath(path)}")
    return digest.hexdigest()


def _package_root() -> Path:
    return Path(__file__).parent


def _hash_tree(digest, node, label: str) -> None:
    try:
        if node.is_dir():
            for child in sorted(node.iterdir(), key=lambda c: c.name):
                if child.name != "__pycache__" and not child.name.endswith((".pyc", ".pyo")):
                    _hash_tree(digest, child, f"{label}/{child.name}")
        elif node.is_file():
            data = node.read_bytes()
            digest.update(f"{label}\0{len(data)}\0".encode())
            digest.update(data)
        else:
            digest.update(f"{label}\0missing\0".encode())
    except OSError as exc:
        digest.update(f"{label}\0unreadable {exc.errno}\0".encode())


class FactCache:
    """Facts by content hash in one fingerprint directory. Safe to share between processes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def open(cls, root: Path, extractor_paths: tuple[str, ...] = ()) -> "FactCache":
        fingerprint = extraction_fingerprint(extractor_paths)
        namespace = root / _NAMESPACE
        directory = namespace / fingerprint[:32]
        try:
            fresh = not directory.is_dir()
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not os.access(directory, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, "permission denied")
            os.utime(directory)   # marks the fingerprint as in use, for pruning
        except OSError as exc:
            raise CacheError(f"cannot use cache directory {root}: {exc.strerror or exc}") from None
        if fresh:
            _prune_stale(namespace, keep=directory.name)
        return cls(directory)

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, path: str) -> DocumentFacts | None:
        """The cached facts of the contents with ``key``, for the contract at ``path``."""
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                entry = json.load(handle)
            if entry["format"] != ENTRY_FORMAT or entry["content"] != key:
                return None
            return DocumentFacts(path, [str(language) for language in entry["languages"]],
                                 [_decode_fact(item) for item in entry["facts"]],
                                 [str(note) for note in entry["notes"]],
                                 [_decode_unread(item) for item in entry["unread"]],
                                 [_decode_unread_text(item) for item in entry["unread_text"]])
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - any damage to an entry only means a miss
            return None

    def put(self, key: str, facts: DocumentFacts) -> None:
        try:
            entry = {"format": ENTRY_FORMAT, "content": key, "languages": list(facts.languages),
                     "facts": [_encode_fact(fact) for fact in facts.facts], "notes": list(facts.notes),
                     "unread": [_encode(clause) for clause in facts.unread],
                     "unread_text": [_encode(text) for text in facts.unread_text]}
        except _Unencodable:
            return
        target = self._entry(key)
        try:
            target.parent.mkdir(exist_ok=True, mode=0o700)
            import tempfile  # only when an entry is written: not on every run

            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".entry-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(entry, stream, ensure_ascii=False, separators=(",", ":"))
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass   # a full disk or a vanished directory costs a re-extraction later, nothing else


def _prune_stale(namespace: Path, keep: str) -> None:
    """Drop fingerprint directories (old versions or rules) unused for a week."""
    cutoff = time.time() - _STALE_AFTER_SECONDS
    try:
        siblings = list(namespace.iterdir())
    except OSError:
        return
    for sibling in siblings:
        if sibling.name == keep or len(sibling.name) != 32 or not all(c in "0123456789abcdef" for c in sibling.name):
            continue
        try:
            if sibling.stat().st_mtime < cutoff:
                _remove_tree(sibling)
        except OSError:
            continue


def _remove_tree(directory: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(directory, topdown=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            os.rmdir(os.path.join(dirpath, name))
    os.rmdir(directory)


# --- exact JSON codec for facts ------------------------------------------------------------------
# Dataclasses are written field by field (all fields, whatever they are): a field added later is
# carried without touching this codec, and old entries are never read by newer code anyway,
# because the source of these classes is part of the fingerprint.

_CLASSES = {cls.__name__: cls for cls in (Fact, Span, Duration, Percent, Money, Jurisdiction, EnumValue,
                                          UnreadClause, UnreadText)}


class _Unencodable(Exception):
    """A fact holds a value this codec has no tag for: the document is simply not cached."""


def _encode_fact(fact: Fact) -> object:
    return _encode(fact)


def _decode_fact(item: object) -> Fact:
    fact = _decode(item)
    if not isinstance(fact, Fact) or not isinstance(fact.evidence, Span) or not isinstance(fact.qualifiers, dict):
        raise ValueError("malformed fact")
    span = fact.evidence
    if not all(isinstance(x, int) and not isinstance(x, bool)
               for x in (span.line, span.column, span.end_line, span.end_column)) \
            or not all(isinstance(x, str) for x in (fact.name, fact.type, fact.language, fact.extractor,
                                                     span.text, span.before, span.after)):
        raise ValueError("malformed fact")
    return fact


def _decode_unread(item: object) -> UnreadClause:
    clause = _decode(item)
    if not isinstance(clause, UnreadClause) or not isinstance(clause.evidence, Span) \
            or not isinstance(clause.cues, tuple) or not all(isinstance(cue, str) for cue in clause.cues) \
            or not isinstance(clause.name, str) or not isinstance(clause.language, str):
        raise ValueError("malformed unread clause")
    return clause


def _decode_unread_text(item: object) -> UnreadText:
    text = _decode(item)
    if not isinstance(text, UnreadText) or not isinstance(text.evidence, Span) or not isinstance(text.script, str):
        raise ValueError("malformed unread text")
    return text


def _encode(value) -> object:
    """Every value as JSON that decodes to an equal value of the same type."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, float):
        return ["float", value]
    if value is None:
        return ["none"]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    if isinstance(value, Fraction):
        return ["fraction", value.numerator, value.denominator]
    if type(value).__name__ in _CLASSES and _CLASSES[type(value).__name__] is type(value):
        return ["object", type(value).__name__,
                {item.name: _encode(getattr(value, item.name)) for item in fields(value)}]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise _Unencodable
        return ["dict", {key: _encode(item) for key, item in value.items()}]
    if isinstance(value, list):
        return ["list", [_encode(item) for item in value]]
    if isinstance(value, tuple):
        return ["tuple", [_encode(item) for item in value]]
    raise _Unencodable


def _decode(data) -> object:
    if isinstance(data, str):
        return data
    tag, *rest = data
    if tag == "bool" and isinstance(rest[0], bool):
        return rest[0]
    if tag == "int" and isinstance(rest[0], int):
        return rest[0]
    if tag == "float" and isinstance(rest[0], (int, float)):
        return float(rest[0])
    if tag == "none":
        return None
    if tag == "decimal":
        return Decimal(rest[0])
    if tag == "fraction":
        return Fraction(int(rest[0]), int(rest[1]))
    if tag == "object":
        cls = _CLASSES[rest[0]]
        return cls(**{str(name): _decode(item) for name, item in rest[1].items()})
    if tag == "dict":
        return {str(key): _decode(item) for key, item in rest[0].items()}
    if tag == "list":
        return [_decode(item) for item in rest[0]]
    if tag == "tuple":
        return tuple(_decode(item) for item in rest[0])
    raise ValueError(f"unknown tag {tag!r}")
