"""Completion for .policy files, from the words before the cursor.

What may come next is read from the last tokens before the cursor: after a verb, ``when``,
``and`` ... a fact; after ``FACT OP`` or ``FACT in [`` a value of that fact (enum values,
jurisdiction codes, booleans, the named sets); after ``severity`` a severity; after a finished
condition the keywords that may follow it. Facts, values and their documentation come from the
fact catalogue.
"""

from __future__ import annotations

import os
import re

from lsprotocol import types

from policycheck.catalogue import Catalogue, FactSpec
from policycheck.lsp.tokens import Token, document_tokens
from policycheck.policy.explain import fact_explanation, render_explanation
from policycheck.policy.parser import SEVERITIES
from policycheck.values.jurisdictions import iso_data, table

VERBS = ("require", "forbid", "flag")
TOP_KEYWORDS = ("rule", "let", "include", "policy")
META_KEYWORDS = ("severity", "message", "tags", "see")
OPERATORS = ("<", "<=", ">", ">=", "==", "!=")
_CONDITION_STARTS = set(VERBS) | {"when", "unless", "and", "or", "not", "("}
_PREFIX = re.compile(r"[A-Za-z0-9_.%\-]*$")
_AFTER_CONDITION = ("and", "or", "when", "unless") + META_KEYWORDS


def complete(text: str, line: int, character: int, catalogue: Catalogue, set_names: list[str],
             path: str = "") -> list[types.CompletionItem]:
    """Completion items at (line, character); a ``text_edit`` range is in characters."""
    lines = text.split("\n")
    current_line = lines[line][:character] if line < len(lines) else ""
    where = _string_or_comment(current_line)
    if where == "comment":
        return []
    if where is not None:
        return _in_string(current_line, where, line, catalogue, path)
    prefix = _PREFIX.search(current_line).group()
    tokens = document_tokens(text, (line, character - len(prefix)))
    set_names = sorted(set(set_names) | set(_sets_in(document_tokens(text))))
    words = [t.text for t in tokens]
    last = words[-1] if words else None
    items: list[types.CompletionItem]
    bracket = _open_bracket(tokens)
    if bracket is not None:
        fact = _fact_before_in(tokens[:bracket]) or _fact_using_set(tokens[:bracket], document_tokens(text))
        items = _values(catalogue.get(fact) if fact else None, [], prefix)
    elif last in OPERATORS and len(words) >= 2:
        items = _values(catalogue.get(words[-2]), [], prefix)
    elif last == "in":
        fact = _fact_before_in(tokens)
        items = _values(catalogue.get(fact) if fact else None, set_names, prefix)
    elif last == "severity":
        items = [_keyword(level, "severity") for level in SEVERITIES]
    elif last == "is":
        items = [_keyword(word, "presence test") for word in ("present", "missing")]
    elif last in _CONDITION_STARTS:
        items = _facts(catalogue) + ([] if last == "not" else [_keyword("not", "negation")])
    elif last is not None and last in catalogue:
        items = [_keyword(op, "comparison") for op in OPERATORS] + \
                [_keyword(word, "membership / presence") for word in ("in", "not in", "is present", "is missing")]
        if catalogue.get(last).type == "boolean":       # `flag auto_renewal` is a whole condition
            items += _after_condition()
    elif last in (None, "{", "}") or _declaration_ended(tokens):
        items = [_keyword(verb, "statement") for verb in VERBS]
        if last != "{":
            items += [_keyword(word, "declaration") for word in TOP_KEYWORDS]
    elif last in ("include", "rule", "let", "policy", "message", "see", "tags", "version", "="):
        items = []
    else:
        items = _after_condition()
    if prefix:
        lowered = prefix.lower()
        items = [item for item in items if item.label.lower().startswith(lowered)]
    return items


def _after_condition() -> list[types.CompletionItem]:
    """After a value, a set, ')' or ']': the condition may go on, or the next statement start."""
    return [_keyword(word, "keyword") for word in _AFTER_CONDITION] + \
           [_keyword(verb, "statement") for verb in VERBS] + \
           [_keyword(word, "declaration") for word in TOP_KEYWORDS]


def _sets_in(tokens: list[Token]) -> list[str]:
    """Sets this text defines with ``let NAME``, known even while the text does not parse."""
    return [tokens[i + 1].text for i in range(len(tokens) - 1) if tokens[i].text == "let"]


def _string_or_comment(line: str) -> int | str | None:
    """Where the cursor at the end of ``line`` stands: "comment", the index where the string it
    is in starts (after the quote), or None in code."""
    start = None
    index = 0
    while index < len(line):
        ch = line[index]
        if start is not None and ch == "\\":
            index += 2
            continue
        if ch == '"':
            start = index + 1 if start is None else None
        elif ch == "#" and start is None:
            return "comment"
        index += 1
    return start


_PLACEHOLDER_START = re.compile(r"\{([A-Za-z0-9_]*)$")


def _in_string(line: str, start: int, number: int, catalogue: Catalogue, path: str) -> list[types.CompletionItem]:
    """In ``include "``: the policy files beside this one; at a ``{`` in a message: facts."""
    before, typed = line[:start - 1].rstrip(), line[start:]
    if before.endswith("include") and path:
        edit = types.Range(types.Position(number, start), types.Position(number, len(line)))
        return [types.CompletionItem(label=name, kind=types.CompletionItemKind.File, detail="policy file",
                                     text_edit=types.TextEdit(range=edit, new_text=name))
                for name in _policy_files_beside(path) if name.startswith(typed)]
    placeholder = _PLACEHOLDER_START.search(typed)
    if before.endswith("message") and placeholder:
        edit = types.Range(types.Position(number, len(line) - len(placeholder.group(1))),
                           types.Position(number, len(line)))
        items = []
        for name in catalogue.names():
            if name.startswith(placeholder.group(1)):
                item = fact_item(catalogue.get(name))
                item.text_edit = types.TextEdit(range=edit, new_text=name)
                items.append(item)
        return items
    return []


def _policy_files_beside(path: str, limit: int = 500) -> list[str]:
    """Policy files in this file's directory and below, relative to it (an include must stay
    inside the policy tree), nearest first."""
    base = os.path.dirname(os.path.abspath(path))
    found = []
    for directory, subdirectories, files in os.walk(base):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(directory, name)
            if name.endswith(".policy") and os.path.abspath(full) != os.path.abspath(path):
                found.append(os.path.relpath(full, base).replace(os.sep, "/"))
                if len(found) >= limit:
                    return found
    return found


def _open_bracket(tokens: list[Token]) -> int | None:
    """The index of the '[' the cursor is inside of, if any."""
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        text = tokens[index].text
        if text == "]":
            depth += 1
        elif text == "[":
            if depth == 0:
                return index
            depth -= 1
        elif text in ("{", "}") or text in VERBS:
            return None
    return None


def _fact_before_in(tokens: list[Token]) -> str | None:
    """``FACT in`` / ``FACT not in`` just before the end: the fact."""
    words = [t.text for t in tokens]
    if words and words[-1] == "in":
        words = words[:-1]
        if words and words[-1] == "not":
            words = words[:-1]
        return words[-1] if words else None
    return None


def _declaration_ended(tokens: list[Token]) -> bool:
    """``include "x"``, ``policy "name"`` or ``version "1"`` just before: a statement may start."""
    return (len(tokens) >= 2 and tokens[-1].kind == "string"
            and tokens[-2].text in ("include", "policy", "version"))


def _fact_using_set(before: list[Token], everything: list[Token]) -> str | None:
    """In ``let NAME = [``: the fact a condition of this file compares with NAME, if any."""
    if len(before) < 3 or before[-3].text != "let" or before[-1].text != "=":
        return None
    name = before[-2].text
    for index in range(2, len(everything)):
        if everything[index].text == name and everything[index - 1].text == "in":
            fact = everything[index - 2]
            if fact.text == "not" and index >= 3:
                fact = everything[index - 3]
            return fact.text
    return None


def _keyword(word: str, detail: str) -> types.CompletionItem:
    return types.CompletionItem(label=word, kind=types.CompletionItemKind.Keyword, detail=detail)


def _markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=f"```text\n{text}```")


def fact_item(spec: FactSpec) -> types.CompletionItem:
    explanation = fact_explanation(spec)
    return types.CompletionItem(label=spec.name, kind=types.CompletionItemKind.Field,
                                detail=explanation["type"], documentation=_markdown(render_explanation(explanation)))


def _facts(catalogue: Catalogue) -> list[types.CompletionItem]:
    return [fact_item(catalogue.get(name)) for name in catalogue.names()]


def _values(spec: FactSpec | None, set_names: list[str], prefix: str) -> list[types.CompletionItem]:
    items = [types.CompletionItem(label=name, kind=types.CompletionItemKind.Constant, detail="named set")
             for name in sorted(set_names)]
    return items + value_items(spec, prefix)


def value_items(spec: FactSpec | None, prefix: str) -> list[types.CompletionItem]:
    """Values of a fact as policy literals: enum values, booleans, codes or its examples."""
    items: list[types.CompletionItem] = []
    if spec is None:
        return items
    if spec.type == "enum":
        items += [types.CompletionItem(label=value, kind=types.CompletionItemKind.EnumMember,
                                       detail=f"{spec.name} value") for value in spec.values]
    elif spec.type == "boolean":
        items += [types.CompletionItem(label=word, kind=types.CompletionItemKind.Value, detail="boolean")
                  for word in ("true", "false")]
    elif spec.type == "jurisdiction":
        items += jurisdiction_items(with_subdivisions="-" in prefix)
    elif spec.examples:
        items += [types.CompletionItem(label=example, kind=types.CompletionItemKind.Value,
                                       detail=f"{spec.type}, an example") for example in spec.examples]
    return items


def jurisdiction_items(with_subdivisions: bool) -> list[types.CompletionItem]:
    """Named groups and countries, with their names; the thousands of subdivisions (US-NY ...)
    only once a code with a '-' is being typed."""
    codes = table()
    items = [types.CompletionItem(label=name, kind=types.CompletionItemKind.EnumMember,
                                  detail=f"group: {', '.join(sorted(members))}")
             for name, members in sorted(codes.groups.items())]
    names = {row[0]: row[1] for row in iso_data()["countries"]}
    items += [types.CompletionItem(label=code, kind=types.CompletionItemKind.EnumMember,
                                   detail=names.get(code, "jurisdiction"))
              for code in sorted(codes.countries)]
    if with_subdivisions:
        names = {row[0]: row[1] for row in iso_data()["subdivisions"]}
        items += [types.CompletionItem(label=code, kind=types.CompletionItemKind.EnumMember,
                                       detail=names.get(code, "subdivision"))
                  for code in sorted(codes.subdivisions)]
    return items
