"""Policy text -> AST, parsed once per machine for each distinct text.

A run parses the same policy files over and over (a pre-commit hook runs on every commit), and
building the parser means importing Lark. The AST of a policy file is plain data, so it is kept
in the on-disk store of ``policycheck.datastore`` as nested lists and tuples: a node is
``[class name, field values...]`` and only the classes of ``policy.ast`` can come back out of it.
The key covers the text, the grammar, the parser and AST sources and the policycheck version,
so any change to the language is a fresh parse. Syntax errors are never kept: a file with one
is parsed, and reported, every time.
"""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from policycheck import __version__
from policycheck.datastore import derived
from policycheck.policy import ast
from policycheck.resources import grammar_text

_NODE_CLASSES = {cls.__name__: cls for cls in (
    ast.Literal, ast.SetItems, ast.Truthy, ast.Presence, ast.Compare, ast.Member, ast.Not, ast.And,
    ast.Or, ast.Guard, ast.Meta, ast.Statement, ast.RuleBlock, ast.Header, ast.LetSet, ast.Include)}


def parse_policy(text: str, path: str = "<policy>") -> ast.PolicyFile:
    """Like ``policy.parser.parse_policy``: a PolicyFile, or PolicySyntaxError."""
    def parse() -> tuple:
        from policycheck.policy.parser import parse_policy as parse_with_lark

        return parse_with_lark(text, path).items

    items = derived("policy-ast", _language_sources() + (text.encode("utf-8", "surrogatepass"),),
                    parse, encode=_encode, decode=_decode)
    return ast.PolicyFile(path, items, text)


@lru_cache(maxsize=1)
def _language_sources() -> tuple[bytes, ...]:
    here = Path(__file__).parent
    return (__version__.encode(), grammar_text().encode("utf-8"),
            (here / "parser.py").read_bytes(), (here / "ast.py").read_bytes())


def _encode(value):
    if isinstance(value, tuple):
        return tuple(_encode(item) for item in value)
    if type(value).__name__ in _NODE_CLASSES:
        return [type(value).__name__] + [_encode(getattr(value, f.name)) for f in fields(value)]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the AST store")


def _decode(value):
    if isinstance(value, list):
        return _NODE_CLASSES[value[0]](*(_decode(item) for item in value[1:]))
    if isinstance(value, tuple):
        return tuple(_decode(item) for item in value)
    return value
