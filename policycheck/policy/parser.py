"""Policy text -> AST (policy.ast) with Lark's LALR parser.

The parser is built once per process and is stateless: the transformer runs inline while Lark
reduces, so no parse tree is kept and deep nesting costs no recursion. Every syntax problem
becomes a PolicySyntaxError with file, line, column, the source line and a caret.
"""

from __future__ import annotations

from functools import lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from policycheck.errors import PolicycheckError, PolicySyntaxError
from policycheck.policy import ast
from policycheck.resources import grammar_text

MAX_NESTING = 64
SEVERITIES = ("error", "warning", "info")

# How tokens are named in "expected ..." messages.
_TOKEN_WORDS = {
    "NAME": "a name", "RULE_ID": "a rule id", "STRING": "a quoted string", "NUMBER": "a number",
    "DURATION": "a duration such as 90d", "PERCENT": "a percent such as 99.9%", "OP": "an operator (< <= > >= == !=)",
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "LBRACE": "'{'", "RBRACE": "'}'",
    "COMMA": "','", "EQUAL": "'='", "REQUIRE": "'require'", "FORBID": "'forbid'", "FLAG": "'flag'",
    "WHEN": "'when'", "UNLESS": "'unless'", "NOT": "'not'", "TAGS": "'tags'",
    "RULE": "'rule'", "LET": "'let'", "POLICY": "'policy'", "INCLUDE": "'include'", "$END": "end of file",
}


def _depth(node) -> int:
    return getattr(node, "_depth", 1)


class _Tooling(Exception):
    """Internal: a transformer-side error carrying the token where it happened."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _unquote(token: Token) -> str:
    body = str(token)[1:-1]
    out = []
    index = 0
    while index < len(body):
        ch = body[index]
        if ch == "\\" and index + 1 < len(body):
            nxt = body[index + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            index += 2
        else:
            out.append(ch)
            index += 1
    return "".join(out)


class _ToAst(Transformer):
    """One method per grammar rule; each returns a frozen AST node with its position."""

    # -- helpers
    @staticmethod
    def _pos(children=()) -> tuple[int, int]:
        for child in children:
            if isinstance(child, Token):
                return child.line, child.column
            if isinstance(child, ast.Node):
                return child.line, child.column
        return 1, 1

    @staticmethod
    def _nest(node, *children):
        depth = 1 + max((_depth(c) for c in children), default=0)
        if depth > MAX_NESTING:
            raise _Tooling(f"condition nests more than {MAX_NESTING} levels deep", node.line, node.column)
        object.__setattr__(node, "_depth", depth)
        return node

    # -- file level
    def start(self, items):
        return tuple(items)

    def header(self, children):
        keyword, name, *rest = children
        version = _unquote(rest[0]) if rest else None
        return ast.Header(keyword.line, keyword.column, _unquote(name), version)

    def let_def(self, children):
        keyword, name, items = children
        return ast.LetSet(keyword.line, keyword.column, str(name), items)

    def include(self, children):
        keyword, path = children
        return ast.Include(keyword.line, keyword.column, _unquote(path))

    def rule_block(self, children):
        keyword, rule_id, *rest = children
        title = _unquote(rest[0]) if len(rest) == 2 else None
        return ast.RuleBlock(keyword.line, keyword.column, str(rule_id), title, rest[-1])

    # -- statements
    def statement(self, children):
        verb = children[0]
        condition = children[1]
        guard = None
        metas = []
        for child in children[2:]:
            if isinstance(child, ast.Guard):
                guard = child
            else:
                metas.append(child)
        return ast.Statement(verb.line, verb.column, str(verb), condition, guard, tuple(metas))

    def verb(self, children):
        return children[0]

    def guard(self, children):
        keyword, condition = children
        return ast.Guard(keyword.line, keyword.column, str(keyword), condition)

    def severity(self, children):
        token = children[0]
        if str(token) not in SEVERITIES:
            raise _Tooling(f"unknown severity '{token}' (use error, warning or info)", token.line, token.column)
        return ast.Meta(token.line, token.column, "severity", str(token))

    def message(self, children):
        return ast.Meta(children[0].line, children[0].column, "message", _unquote(children[0]))

    def tags(self, children):
        keyword, *names = children
        return ast.Meta(keyword.line, keyword.column, "tags", tuple(str(n) for n in names if n is not None))

    def see(self, children):
        return ast.Meta(children[0].line, children[0].column, "see", _unquote(children[0]))

    # -- conditions
    def or_expr(self, children):
        first = children[0]
        return self._nest(ast.Or(first.line, first.column, tuple(children)), *children)

    def and_expr(self, children):
        first = children[0]
        return self._nest(ast.And(first.line, first.column, tuple(children)), *children)

    def negation(self, children):
        keyword, operand = children
        return self._nest(ast.Not(keyword.line, keyword.column, operand), operand)

    def truthy(self, children):
        name = children[0]
        return ast.Truthy(name.line, name.column, str(name))

    def present(self, children):
        name = children[0]
        return ast.Presence(name.line, name.column, str(name), True)

    def missing(self, children):
        name = children[0]
        return ast.Presence(name.line, name.column, str(name), False)

    def compare(self, children):
        name, op, literal = children
        return ast.Compare(name.line, name.column, str(name), str(op), literal)

    def member(self, children):
        name, target = children
        return ast.Member(name.line, name.column, str(name), target, False)

    def not_member(self, children):
        name, _not, target = children
        return ast.Member(name.line, name.column, str(name), target, True)

    def set_items(self, children):
        items = tuple(c for c in children if c is not None)
        line, column = self._pos(items)
        return ast.SetItems(line, column, items)

    # -- literals
    def _literal(self, kind, token, text=None):
        return ast.Literal(token.line, token.column, kind, text if text is not None else str(token))

    def duration(self, children):
        return self._literal("duration", children[0])

    def percent(self, children):
        return self._literal("percent", children[0])

    def number(self, children):
        return self._literal("number", children[0])

    def money(self, children):
        currency, amount = children
        return self._literal("money", currency, f"{currency} {amount}")

    def name(self, children):
        return self._literal("name", children[0])

    def string(self, children):
        return self._literal("string", children[0], _unquote(children[0]))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = grammar_text()
    return Lark(grammar, parser="lalr", transformer=_ToAst(), maybe_placeholders=False,
                cache=_parser_cache_file(grammar) or False)


def _parser_cache_file(grammar: str) -> str | None:
    """Where Lark keeps the analysed grammar between runs (building it costs more than a small
    check): a file in the user's private cache directory, named by the grammar's hash (Lark also
    checks the hash inside). None when that directory cannot be created."""
    import hashlib

    from policycheck.cachedir import default_directory

    directory = default_directory() / "grammar"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:24]
    return str(directory / f"policy-{digest}.lark-cache")


def _expected_words(expected) -> str:
    words = sorted({_TOKEN_WORDS.get(name, f"'{name.lower()}'") for name in expected})
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


_LITERAL_TOKENS = {"DURATION", "PERCENT", "NUMBER", "STRING", "NAME", "LSQB"}
_UNIT_WORDS = {"day": "d", "days": "d", "hour": "h", "hours": "h", "week": "w", "weeks": "w",
               "month": "mo", "months": "mo", "year": "y", "years": "y", "business": "bd"}


def _previous_word(text: str, token: Token) -> str:
    before = text[:token.start_pos].rstrip()
    word = before.split()[-1] if before.split() else ""
    return word


def _token_problem(token: Token, expected: set[str], text: str) -> tuple[str, str | None]:
    """The message and hint for an unexpected token, naming the usual mistakes."""
    if token.type == "$END":
        message = f"unexpected end of file; expected {_expected_words(expected)}"
        hint = "a rule block is still open: close it with }" if "RBRACE" in expected else None
        return message, hint
    found = f"'{token}'"
    if "OP" in expected and token.type in _LITERAL_TOKENS:
        fact = _previous_word(text, token)
        return (f"missing operator between {fact} and {token}",
                "write FACT OP VALUE (OP: < <= > >= == !=), FACT in [..], FACT is present / is missing")
    if token.type == "EQUAL" and "OP" in expected:
        return "unexpected '='", "compare with =="
    previous = _previous_word(text, token)
    if token.type == "NAME" and str(token).lower() in _UNIT_WORDS and previous.replace(".", "").isdigit():
        return (f"unexpected {found} after the number {previous}",
                f"write a duration as one word: {previous}{_UNIT_WORDS[str(token).lower()]}")
    return f"unexpected {found}; expected {_expected_words(expected)}", None


def _source_line(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def parse_policy(text: str, path: str = "<policy>") -> ast.PolicyFile:
    """Parse policy text into a PolicyFile, or raise PolicySyntaxError."""
    try:
        items = _parser().parse(text)
    except _Tooling as exc:
        raise PolicySyntaxError(exc.message, path=path, line=exc.line, column=exc.column,
                                source_line=_source_line(text, exc.line)) from None
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, _Tooling):
            raise PolicySyntaxError(inner.message, path=path, line=inner.line, column=inner.column,
                                    source_line=_source_line(text, inner.line)) from None
        if isinstance(inner, PolicycheckError):
            raise inner from None
        raise
    except UnexpectedEOF as exc:
        lines = text.rstrip().split("\n")
        line = len(lines)
        column = len(lines[-1]) + 1 if lines else 1
        raise PolicySyntaxError(f"unexpected end of file; expected {_expected_words(exc.expected)}",
                                path=path, line=line, column=column,
                                source_line=_source_line(text, line)) from None
    except UnexpectedToken as exc:
        token = exc.token
        if token.type == "$END":
            lines = text.rstrip().split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        else:
            line, column = token.line, token.column
        message, hint = _token_problem(token, set(exc.expected), text)
        raise PolicySyntaxError(message, path=path, line=line, column=column,
                                source_line=_source_line(text, line), hint=hint) from None
    except UnexpectedCharacters as exc:
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        message, hint = f"unexpected character {char!r}", None
        if char == '"':
            message, hint = "unterminated string", 'close it with " on the same line'
        elif char == "=":
            message, hint = "unexpected '='", "compare with ==; define a set with: let NAME = [..]"
        raise PolicySyntaxError(message, path=path, line=exc.line, column=exc.column,
                                source_line=_source_line(text, exc.line), hint=hint) from None
    except UnexpectedInput as exc:  # any other Lark input error
        line = getattr(exc, "line", 1) or 1
        column = getattr(exc, "column", 1) or 1
        raise PolicySyntaxError("cannot parse this policy", path=path, line=line, column=column,
                                source_line=_source_line(text, line)) from None
    return ast.PolicyFile(path, items, text)
