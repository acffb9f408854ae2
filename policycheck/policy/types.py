"""Typing of policy literals against the fact catalogue.

``coerce`` turns a literal into the typed value it denotes for a given fact, or raises
LiteralTypeError with a message that names both types ("data_deletion_after is a duration,
99% is a percent"). The static checker and the evaluator share it, so a policy that passed the
checker evaluates with exactly the values the checker accepted.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from policycheck.catalogue import FactSpec
from policycheck.policy import ast
from policycheck.values.jurisdictions import OWN_CODES, iso_data, lookup_name, table
from policycheck.values.literals import CURRENCY_CODES, parse_literal
from policycheck.values.types import Value

ORDERED_TYPES = ("duration", "percent", "money", "number")
_KIND_TYPES = {"duration": "duration", "percent": "percent", "money": "money", "number": "number",
               "string": "string"}
_ARTICLE = {"duration": "a duration", "percent": "a percent", "money": "an amount of money",
            "number": "a number", "string": "a string", "jurisdiction": "a jurisdiction",
            "boolean": "a boolean", "enum": "an enum"}


class LiteralTypeError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _suggest(word: str, options) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _shown(literal: ast.Literal) -> str:
    return f'"{literal.text}"' if literal.kind == "string" else literal.text


# Codes people write that ISO 3166 spells differently (alpha-3 codes, common abbreviations).
_CODE_MISTAKES = {
    "UK": "the ISO 3166 code of the United Kingdom is GB (England and Wales: GB-EAW)",
    "USA": "did you mean US?", "PRC": "did you mean CN?", "CHN": "did you mean CN?",
    "HKG": "did you mean HK?", "MAC": "did you mean MO?", "TWN": "did you mean TW?",
    "SGP": "did you mean SG?", "GBR": "did you mean GB?", "DEU": "did you mean DE?",
    "FRA": "did you mean FR?", "JPN": "did you mean JP?", "KOR": "did you mean KR?",
    "ENG": "did you mean GB-ENG?", "EAW": "did you mean GB-EAW?",
}


def currency_hint(code: str) -> str:
    if code.upper() == "RMB":
        return "the ISO 4217 code of the renminbi is CNY (CNH offshore)"
    swapped = sorted(c for c in CURRENCY_CODES if sorted(c) == sorted(code.upper()))  # UDS -> USD
    guess = swapped or difflib.get_close_matches(code.upper(), sorted(CURRENCY_CODES), n=1, cutoff=0.6)
    return f"did you mean {guess[0]}?" if guess else "use an ISO 4217 code such as USD, EUR, CNY"


def jurisdiction_hint(text: str) -> str:
    """A hint for an unknown jurisdiction code: the usual mistakes first, a name or an ISO
    alpha-3 code where a code belongs (China -> CN, DEU -> DE), then the closest code."""
    upper = text.upper()
    if upper in _CODE_MISTAKES:
        return _CODE_MISTAKES[upper]
    if upper in OWN_CODES:
        return f"did you mean {OWN_CODES[upper]}? ({OWN_CODES[upper]} is its own jurisdiction, not part of CN)"
    alpha3 = {row[7]: row[0] for row in iso_data()["countries"]}
    if upper in alpha3:
        return f"did you mean {alpha3[upper]}?"
    named = lookup_name(text.replace("_", " "))
    if named is not None:
        return f"did you mean {named.code}? (policies name jurisdictions by ISO 3166 code)"
    codes = table().all_codes()
    guess = upper if upper in codes else difflib.get_close_matches(upper, codes, n=1, cutoff=0.6)
    if guess:
        return f"did you mean {guess if isinstance(guess, str) else guess[0]}?"
    return "use an ISO 3166 code such as CN, US-NY, GB-EAW or a group such as EU"


def describe_type(spec: FactSpec) -> str:
    if spec.type == "enum":
        return f"an enum ({', '.join(spec.values)})"
    return _ARTICLE.get(spec.type, spec.type)


def coerce(spec: FactSpec, literal: ast.Literal) -> Value:
    return _coerce(spec.name, spec.type, spec.values, literal.kind, literal.text)


@lru_cache(maxsize=4096)
def _coerce(name: str, fact_type: str, enum_values: tuple[str, ...], kind: str, text: str) -> Value:
    shown = f'"{text}"' if kind == "string" else text
    literal_type = _KIND_TYPES.get(kind)
    if literal_type is not None and literal_type != fact_type:
        hint = None
        if fact_type == "duration" and kind == "number":
            hint = f"write a unit: {text}d, {text}mo, {text}y ..."
        elif fact_type == "percent" and kind == "number":
            hint = f"write {text}%"
        raise LiteralTypeError(f"{name} is {_ARTICLE.get(fact_type, fact_type)}, {shown} is "
                               f"{_ARTICLE[literal_type]}", hint)
    if kind == "name" and fact_type in ORDERED_TYPES + ("string",):
        raise LiteralTypeError(f"{name} is {_ARTICLE[fact_type]}, {shown} is a name",
                               'quote text as "..."' if fact_type == "string" else None)
    try:
        return parse_literal(fact_type, text, enum_values)
    except ValueError as exc:
        hint = None
        if fact_type == "jurisdiction":
            hint = jurisdiction_hint(text)
            raise LiteralTypeError(f"unknown jurisdiction code {text} for {name}", hint) from None
        if fact_type == "enum":
            guess = _suggest(text, enum_values)
            hint = f"did you mean {guess}?" if guess else f"{name} is one of: {', '.join(enum_values)}"
            raise LiteralTypeError(f"{text} is not a value of {name}", hint) from None
        if fact_type == "boolean":
            raise LiteralTypeError(f"{name} is a boolean, {shown} is not true or false") from None
        if fact_type == "money" and kind == "money":
            raise LiteralTypeError(f"{exc} (in {shown})", currency_hint(text.split()[0])) from None
        raise LiteralTypeError(f"{name} is {_ARTICLE.get(fact_type, fact_type)}: {exc}") from None


def resolve_target(target: ast.SetItems | ast.Literal, sets: dict) -> tuple[ast.Literal, ...] | None:
    """The literals a membership test names; None when it names an unknown set."""
    if isinstance(target, ast.SetItems):
        return target.items
    if target.kind == "name" and target.text in sets:
        return sets[target.text][0].items.items
    return (target,)
