"""Static checks of loaded policies against the fact catalogue (DESIGN 3.5).

Runs before any contract is read. Every problem is a PolicyCheckError with the policy file,
line, column, source line and caret, and a "did you mean" hint where one helps.
"""

from __future__ import annotations

import difflib
import re

from policycheck.catalogue import Catalogue
from policycheck.errors import PolicyCheckError
from policycheck.policy import ast
from policycheck.policy.model import PolicySet, Rule
from policycheck.policy.types import ORDERED_TYPES, LiteralTypeError, coerce, describe_type, resolve_target

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Checker:
    def __init__(self, policy_set: PolicySet, catalogue: Catalogue) -> None:
        self.policy_set = policy_set
        self.catalogue = catalogue
        self.sources = {f.path: f.source for f in policy_set.files}
        self.errors: list[PolicyCheckError] = []

    def error(self, path: str, node_line: int, node_column: int, message: str, hint: str | None = None) -> None:
        lines = self.sources.get(path, "").split("\n")
        source = lines[node_line - 1] if 0 < node_line <= len(lines) else None
        self.errors.append(PolicyCheckError(message, path=path, line=node_line, column=node_column,
                                            source_line=source, hint=hint))

    def unique_errors(self) -> list[PolicyCheckError]:
        """One error per place and message (a set used by several rules is reported once)."""
        seen, unique = set(), []
        for error in self.errors:
            key = (error.path, error.line, error.column, error.message)
            if key not in seen:
                seen.add(key)
                unique.append(error)
        return unique

    def check(self) -> list[PolicyCheckError]:
        for name, (let_set, path) in sorted(self.policy_set.sets.items()):
            if not let_set.items.items:
                self.error(path, let_set.line, let_set.column, f"set {name} is empty")
        for policy_file in self.policy_set.files:
            for header in policy_file.of_type(ast.Header)[1:]:
                self.error(policy_file.path, header.line, header.column,
                           "a policy file has at most one policy header", "remove or merge this one")
        for rule in self.policy_set.rules:
            self.check_condition(rule, rule.statement.condition)
            if rule.statement.guard:
                self.check_condition(rule, rule.statement.guard.condition)
            self.check_message(rule)
            self.check_meta_repeats(rule)
        return self.unique_errors()

    def check_meta_repeats(self, rule: Rule) -> None:
        seen: set[str] = set()
        for meta in rule.statement.metas:
            if meta.key in seen:
                self.error(rule.path, meta.line, meta.column, f"{meta.key} is given twice for rule {rule.id}",
                           f"keep one {meta.key} clause")
            seen.add(meta.key)

    def check_message(self, rule: Rule) -> None:
        message = rule.message
        if not message:
            return
        for match in _PLACEHOLDER.finditer(message):
            name = match.group(1)
            if name not in self.catalogue:
                meta = next(m for m in rule.statement.metas if m.key == "message")
                guess = self.catalogue.suggest(name)
                self.error(rule.path, meta.line, meta.column, f"message uses unknown fact {{{name}}}",
                           f"did you mean {{{guess}}}?" if guess else None)

    def check_condition(self, rule: Rule, condition: ast.Condition) -> None:
        stack = [condition]
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.And, ast.Or)):
                stack.extend(reversed(node.operands))
                continue
            if isinstance(node, ast.Not):
                stack.append(node.operand)
                continue
            spec = self.catalogue.get(node.fact)
            if spec is None:
                guess = self.catalogue.suggest(node.fact)
                self.error(rule.path, node.line, node.column, f"unknown fact {node.fact}",
                           f"did you mean {guess}?" if guess else "see `policycheck facts --list`")
                continue
            if isinstance(node, ast.Compare):
                if node.op not in ("==", "!=") and spec.type not in ORDERED_TYPES:
                    self.error(rule.path, node.line, node.column,
                               f"{node.fact} is {describe_type(spec)}; {node.op} needs an ordered type "
                               "(duration, percent, money, number)", "use == or != or in")
                    continue
                self.check_literal(rule, spec, node.literal)
            elif isinstance(node, ast.Member):
                target = node.target
                if isinstance(target, ast.Literal) and target.kind == "name" and target.text not in self.policy_set.sets:
                    self.check_single_member(rule, spec, target)
                    continue
                if isinstance(target, ast.Literal) and target.text in self.policy_set.sets:
                    self.check_set_use(rule, spec, target)
                    continue
                for literal in resolve_target(target, self.policy_set.sets):
                    self.check_literal(rule, spec, literal)

    def check_set_use(self, rule: Rule, spec, use: ast.Literal) -> None:
        """``fact in SET``: each value of the set must suit the fact. A wrong value is reported
        where the set defines it (possibly another file), naming the rule that uses it."""
        let_set, set_path = self.policy_set.sets[use.text]
        for literal in let_set.items.items:
            try:
                coerce(spec, literal)
            except LiteralTypeError as exc:
                where = f"set {use.text} is used with {spec.name} at {rule.path}:{use.line}"
                self.error(set_path, literal.line, literal.column, exc.message,
                           f"{exc.hint}; {where}" if exc.hint else where)

    def check_single_member(self, rule: Rule, spec, literal: ast.Literal) -> None:
        """``fact in NAME``: NAME is one value, or a set that does not exist."""
        try:
            coerce(spec, literal)
        except LiteralTypeError as exc:
            guess = _closest(literal.text, self.policy_set.sets)
            if guess or _looks_like_set_name(literal.text):
                self.error(rule.path, literal.line, literal.column, f"unknown set {literal.text}",
                           f"did you mean {guess}?" if guess else "define it with: let NAME = [..]")
            else:
                self.error(rule.path, literal.line, literal.column, exc.message, exc.hint)

    def check_literal(self, rule: Rule, spec, literal: ast.Literal) -> None:
        try:
            coerce(spec, literal)
        except LiteralTypeError as exc:
            self.error(rule.path, literal.line, literal.column, exc.message, exc.hint)


def _looks_like_set_name(text: str) -> bool:
    # "US-ZZ" has the shape of an ISO 3166-2 code: a wrong code, not a set.
    return (text.upper() == text and ("_" in text or len(text) > 3)
            and not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", text))


def _closest(name: str, sets: dict) -> str | None:
    matches = difflib.get_close_matches(name, list(sets), n=1, cutoff=0.6)
    return matches[0] if matches else None


def check_policies(policy_set: PolicySet, catalogue: Catalogue) -> list[PolicyCheckError]:
    """Every static problem of the loaded policies, in file order."""
    return _Checker(policy_set, catalogue).check()
