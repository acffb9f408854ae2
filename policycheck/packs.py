"""The shipped policy packs, by name: ``pack:saas-baseline`` wherever policycheck is installed.

A pack is one ``*.policy`` file of the shipped ``policies/`` (``policycheck.packs`` in a wheel).
Its name is the file's stem; its description is the first sentence of the comment above its
first line of policy text. Anywhere a policy path is accepted (``run``'s first argument, the
config's ``policies:`` and ``overrides``, ``validate``, ``explain -p``) ``pack:NAME`` names one.
"""

from __future__ import annotations

import difflib
import re
import os
from dataclasses import dataclass

from policycheck.errors import UsageError
from policycheck.resources import packs_dir

PACK_PREFIX = "pack:"
PACK_SUFFIX = ".policy"


@dataclass(frozen=True)
class Pack:
    name: str
    path: str                  # where the pack's file is, as a user would reach it from here
    description: str


def _directory() -> str:
    return str(packs_dir())


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def pack_names() -> list[str]:
    return sorted(name[:-len(PACK_SUFFIX)] for name in os.listdir(_directory()) if name.endswith(PACK_SUFFIX))


def is_pack_reference(spec: str) -> bool:
    return spec.startswith(PACK_PREFIX)


def pack_path(name: str) -> str:
    """The file of pack ``name``; an unknown name is a usage error with the closest name."""
    names = pack_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean pack:{close[0]}?" if close else f"the packs: {', '.join(names)} (policycheck packs)"
        raise UsageError(f"no shipped policy pack named '{name}'", hint=hint)
    return _shown(os.path.join(_directory(), name + PACK_SUFFIX))


def resolve_policy_path(spec: str) -> str:
    """``pack:NAME`` becomes the pack's file; any other path is returned as given."""
    return pack_path(spec[len(PACK_PREFIX):]) if is_pack_reference(spec) else spec


def description(text: str) -> str:
    """The first sentence of the comment block that opens a policy file, without its asides."""
    comment = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        comment.append(stripped.lstrip("#").strip())
    words = " ".join(part for part in comment if part)
    depth = 0
    for index, char in enumerate(words):
        depth += {"(": 1, ")": -1}.get(char, 0)
        # a sentence ends at '.' outside brackets before a capital ('GDPR Art. 28' goes on)
        if char == "." and depth <= 0 and re.match(r"\s+[A-Z]", words[index + 1:]) \
                and not re.search(r"\b(?:Art|al|e\.g|i\.e|No|cf)$", words[:index]):
            return _without_asides(words[:index])
    return _without_asides(words.rstrip("."))


def _without_asides(sentence: str) -> str:
    """A listing line shows the gist: bracketed asides (references, examples) are left out."""
    kept, depth = [], 0
    for char in sentence:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            kept.append(char)
    return re.sub(r"\s+([,;:])", r"\1", " ".join("".join(kept).split()))


def shipped_packs() -> list[Pack]:
    packs = []
    for name in pack_names():
        path = os.path.join(_directory(), name + PACK_SUFFIX)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        packs.append(Pack(name, _shown(path), description(text)))
    return packs
