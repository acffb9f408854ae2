"""The extraction pattern language: a small, safe subset of regular expressions.

A pattern is text with:
  words          matched literally (case-insensitive in English); a space matches any whitespace
  (a|b)          alternatives; ``(...)?`` or ``x?`` makes a group or a character optional
  ~              a gap of up to ``gap`` characters inside the clause (lazy; it does not cross
                 ; or a sentence end); spaces around it are optional
  {slot}         a typed value: {duration} {percent} {money} {jurisdiction} {institution} {number}

Nothing else is special: ``.``, ``*``, ``+``, ``[`` and ``\\`` are literal characters, so no
pattern can nest unbounded repetition. A gap commits to the first place where the rest of the
pattern (up to the next gap) matches, so several gaps cannot multiply their choices: every
pattern runs in time linear in the sentence (tests/test_hostile_text.py checks each one).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from policycheck.datastore import derived
from policycheck.errors import ConfigError

GAP = {"en": 80, "zh": 30}


def compile_pattern(source: str, language: str, slot_patterns: dict[str, str],
                    where: str = "") -> tuple[str, tuple[tuple[str, str], ...]]:
    """Return (regex text, ((group name, slot name), ...))."""
    out: list[str] = []
    slots: list[tuple[str, str]] = []
    gap_marks: list[int] = []      # indices in ``out`` of gaps outside any group
    depth = 0
    index = 0
    gap = GAP.get(language, 80)
    while index < len(source):
        ch = source[index]
        if ch == "{":
            end = source.find("}", index)
            if end == -1:
                raise ConfigError(f"pattern {source!r}: '{{' without '}}'", path=where or None)
            name = source[index + 1:end].strip()
            if name not in slot_patterns:
                raise ConfigError(f"pattern {source!r}: unknown slot {{{name}}} "
                                  f"(known: {', '.join(sorted(slot_patterns))})", path=where or None)
            group = f"s{len(slots)}"
            slots.append((group, name))
            after_gap = bool(out) and (out[-1].startswith("[^;") or (out[-1] == r"\s*" and len(out) > 1
                                                                      and out[-2].startswith("[^;")))
            # In English a value starts at a word start; saying so lets a gap skip the letters
            # inside words instead of trying the whole slot at each of them.
            guard = r"(?<![A-Za-z0-9])" if language == "en" and after_gap else ""
            out.append(f"{guard}(?P<{group}>{slot_patterns[name]})")
            index = end + 1
            continue
        if ch == "(":
            depth += 1
            out.append("(?:")
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ConfigError(f"pattern {source!r}: unbalanced ')'", path=where or None)
            out.append(")")
        elif ch == "|":
            out.append("|")
        elif ch == "?" and out and out[-1] in (r"\s+", r"\s*"):
            # "(shall|will)? ?(prevail)": an optional space is zero or more spaces.
            out[-1] = r"\s*"
        elif ch == "?":
            if not out or out[-1] in ("(?:", "|"):
                raise ConfigError(f"pattern {source!r}: '?' must follow a character or a group", path=where or None)
            if out[-1].endswith("?") and not out[-1].endswith("\\?"):
                raise ConfigError(f"pattern {source!r}: '??' is not allowed", path=where or None)
            out.append("?")
        elif ch == "~":
            if depth == 0:
                gap_marks.append(len(out))
            out.append(f"[^;；。!?！？]{{0,{gap}}}?")
        elif ch.isspace():
            while index + 1 < len(source) and source[index + 1].isspace():
                index += 1
            beside_gap = (out and out[-1].startswith("[^;")) or source[index + 1:index + 2] == "~"
            # Next to a gap, the space is optional: "delete ~ data" also reads "delete, all data".
            out.append(r"\s*" if beside_gap or language != "en" else r"\s+")
        else:
            out.append(re.escape(ch))
        index += 1
    if depth != 0:
        raise ConfigError(f"pattern {source!r}: unbalanced '('", path=where or None)
    head = ""
    tail = ""
    if language == "en":
        stripped = source.strip()
        # Every English pattern starts at a word start, never inside a word or a hyphenated
        # word ("either party" in "Neither party", "exclusive" in "non-exclusive"); its end may
        # be a word stem ("terminat") unless it ends in a letter or digit.
        if stripped:
            head = r"(?<![A-Za-z0-9-])"
        if stripped and (stripped[-1].isalnum()):
            tail = r"(?![A-Za-z0-9])"
    return head + _commit_gaps(out, gap_marks, tail), tuple(slots)


def _commit_gaps(out: list[str], gap_marks: list[int], tail: str) -> str:
    """Join the regex pieces; each top-level gap and what follows it up to the next gap become
    one atomic group.

    A gap stops at the first place where the rest of its piece matches and never moves on to a
    later one. Without that, a pattern with k gaps over text that repeats its own words tries
    about (gap length)^k ways per start: minutes for one sentence. With it, each start costs at
    most k x gap length tries, and the pattern runs in time linear in the text.
    """
    if not gap_marks:
        return "".join(out) + tail
    bounds = gap_marks + [len(out)]
    parts = ["".join(out[:gap_marks[0]])]
    for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
        piece = "".join(out[start:end]) + (tail if end == len(out) else "")
        parts.append(_atomic(piece, number))
    return "".join(parts)


def _atomic(piece: str, number: int) -> str:
    if sys.version_info >= (3, 11):
        return f"(?>{piece})"
    # Python 3.10 has no atomic groups: a lookahead that captures, then the captured text.
    return f"(?=(?P<_commit{number}>{piece}))(?P=_commit{number})"


def trie_regex(words: list[str]) -> str:
    """One regex alternation for many literal words, factored as a trie so that matching
    costs one pass over the text instead of one try per word. A space in a word also matches
    a tab or a line break: a phrase may be wrapped ("loss of\\ndata")."""
    ordered = sorted(set(words))
    # Building the trie of the rule book's triggers costs a few milliseconds on every run.
    key = (Path(__file__).read_bytes(), "\0".join(ordered).encode("utf-8", "surrogatepass"))
    return derived("trie", key, lambda: _trie_regex(ordered))


def _trie_regex(words: list[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        branches = []
        optional = False
        for ch in sorted(node):
            if ch == "":
                optional = True
                continue
            branches.append((r"[\t\n\r ]" if ch == " " else re.escape(ch)) + build(node[ch]))
        if len(branches) == 1 and not optional:
            return branches[0]
        text = "(?:" + "|".join(branches) + ")"
        return text + "?" if optional else text

    return build(trie)
